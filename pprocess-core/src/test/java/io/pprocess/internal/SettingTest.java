package io.pprocess.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SettingTest {
    private static final Path REFERENCE = Path.of("..", "docs", "reference.md");
    private static final Path MAIN_SOURCES = Path.of("src", "main", "java");

    @AfterEach
    void clear() {
        System.clearProperty(Setting.SPARES.key());
        System.clearProperty(Setting.IDLE_LIMIT.key());
        System.clearProperty(Setting.CDS.key());
    }

    @Test
    void theReferenceTableListsEveryKeyAndNoOther() throws IOException {
        Set<String> documented = new TreeSet<>();
        Set<String> documentedEnvironment = new TreeSet<>();
        for (String row : configurationTable()) {
            String[] cells = row.split("\\|");
            Matcher keys = Pattern.compile("`(pprocess\\.[A-Za-z]+)`").matcher(cells[2]);
            while (keys.find()) {
                documented.add(keys.group(1));
            }
            Matcher env = Pattern.compile("`(PPROCESS_[A-Z_]+)`").matcher(cells[3]);
            while (env.find()) {
                documentedEnvironment.add(env.group(1));
            }
        }
        Set<String> inCode = Arrays.stream(Setting.values()).map(Setting::key)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> environmentInCode = Arrays.stream(Setting.values()).map(Setting::environment)
                .filter(e -> e != null).collect(Collectors.toCollection(TreeSet::new));
        assertThat(documented).as("keys in the configuration table of " + REFERENCE).isEqualTo(inCode);
        assertThat(documentedEnvironment).as("environment variables in that table").isEqualTo(environmentInCode);
    }

    @Test
    void noOtherClassReadsAKey() throws IOException {
        Pattern read = Pattern.compile(
                "(getProperty|getLong|getInteger|getBoolean)\\(\\s*\"pprocess\\.|getenv\\(\\s*\"PPROCESS_("
                        + Arrays.stream(Setting.values()).map(Setting::environment).filter(e -> e != null)
                                .map(e -> e.substring("PPROCESS_".length())).collect(Collectors.joining("|"))
                        + ")\"");
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN_SOURCES)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))::iterator) {
                if (file.getFileName().toString().equals("Setting.java")) {
                    continue;
                }
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    if (read.matcher(lines.get(i)).find()) {
                        offenders.add(file + ":" + (i + 1) + ": " + lines.get(i).trim());
                    }
                }
            }
        }
        assertThat(offenders).as("configuration read outside io.pprocess.internal.Setting").isEmpty();
    }

    @Test
    void eachKeyIsParsedInOnePlaceWithOneDefault() throws IOException {
        Pattern parse = Pattern.compile("Setting\\.([A-Z_]+)\\.(longValue|intValue|flag|duration|string|lowerCase)\\(");
        List<String> sites = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN_SOURCES)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))::iterator) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher m = parse.matcher(lines.get(i));
                    while (m.find()) {
                        sites.add(m.group(1) + " at " + file.getFileName() + ":" + (i + 1));
                    }
                }
            }
        }
        assertThat(sites).as("where keys are parsed").isNotEmpty();
        Set<String> keys = new TreeSet<>();
        List<String> again = new ArrayList<>();
        for (String site : sites) {
            String key = site.substring(0, site.indexOf(' '));
            if (!keys.add(key)) {
                again.add(site);
            }
        }
        assertThat(again).as("keys parsed in more than one place (each with its own default): " + sites).isEmpty();
    }

    @Test
    void parsesAndNamesTheKeyInErrors() {
        assertThat(Setting.SPARES.intValue(0, 0)).isZero();
        System.setProperty(Setting.SPARES.key(), " 3 ");
        assertThat(Setting.SPARES.intValue(0, 0)).isEqualTo(3);
        System.setProperty(Setting.SPARES.key(), "three");
        assertThatThrownBy(() -> Setting.SPARES.intValue(0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pprocess.spares is not a number: three");
        System.setProperty(Setting.SPARES.key(), "-1");
        assertThatThrownBy(() -> Setting.SPARES.intValue(0, 0)).hasMessage("pprocess.spares must be at least 0: -1");
        System.setProperty(Setting.SPARES.key(), "   ");
        assertThat(Setting.SPARES.intValue(7, 0)).as("blank counts as unset").isEqualTo(7);

        System.setProperty(Setting.IDLE_LIMIT.key(), "PT10M");
        assertThat(Setting.IDLE_LIMIT.duration(Duration.ofHours(1))).isEqualTo(Duration.ofMinutes(10));
        System.setProperty(Setting.IDLE_LIMIT.key(), "ten minutes");
        assertThatThrownBy(() -> Setting.IDLE_LIMIT.duration(Duration.ofHours(1)))
                .hasMessage("pprocess.idleLimit is not an ISO-8601 duration such as PT10M: ten minutes");

        System.setProperty(Setting.CDS.key(), "off");
        assertThatThrownBy(() -> Setting.CDS.flag(true)).hasMessage("pprocess.cds must be true or false: off");
        System.setProperty(Setting.CDS.key(), "FALSE");
        assertThat(Setting.CDS.flag(true)).isFalse();
    }

    private static List<String> configurationTable() throws IOException {
        List<String> rows = new ArrayList<>();
        boolean inSection = false;
        for (String line : Files.readAllLines(REFERENCE)) {
            if (line.startsWith("## ")) {
                inSection = line.equals("## Configuration");
                continue;
            }
            if (inSection && line.startsWith("| ") && !line.startsWith("| setting") && !line.startsWith("| ---")) {
                rows.add(line);
            }
        }
        assertThat(rows).as("rows of the configuration table in " + REFERENCE).isNotEmpty();
        return rows;
    }
}
