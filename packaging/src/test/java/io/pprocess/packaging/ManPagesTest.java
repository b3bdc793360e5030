package io.pprocess.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pprocess.cluster.PProcessNode;
import io.pprocess.examples.Examples;
import io.pprocess.examples.GridOptions;
import io.pprocess.examples.PersistentGridOptions;
import io.pprocess.examples.LoopOptions;
import io.pprocess.examples.bottles.BottlesOptions;
import io.pprocess.examples.raytrace.RaytraceClusterOptions;
import io.pprocess.examples.raytrace.RaytraceOptions;
import io.pprocess.indexer.IndexerCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The hand-written man pages against the programs they document: every option and argument
 * of the indexer's command line, every example name and every example option must appear,
 * and {@code man} must format the pages without a warning (what lintian checks).
 */
class ManPagesTest {

    private static final Pattern EXAMPLE_LINE = Pattern.compile("^  (\\w+)  ", Pattern.MULTILINE);

    /** The page's text with the troff escapes of hyphens removed, as a reader sees the words. */
    private static String page(String name) throws Exception {
        return Files.readString(DebSources.file("man/" + name + ".1"), StandardCharsets.UTF_8).replace("\\-", "-");
    }

    private static List<String> optionNames(Class<?> type) {
        List<String> names = new ArrayList<>();
        for (Field field : type.getDeclaredFields()) {
            Option option = field.getAnnotation(Option.class);
            if (option != null) {
                names.addAll(List.of(option.names()));
            }
        }
        return names;
    }

    private static void assertMentions(String page, String pageName, List<String> words) {
        for (String word : words) {
            Pattern asWord = Pattern.compile("(?<![\\w-])" + Pattern.quote(word) + "(?![\\w-])");
            assertThat(asWord.matcher(page).find()).as("%s mentions %s", pageName, word).isTrue();
        }
    }

    @Test
    void indexerPageDocumentsEveryOptionAndArgument() throws Exception {
        List<String> words = optionNames(IndexerCommand.class);
        for (Field field : IndexerCommand.class.getDeclaredFields()) {
            Parameters parameters = field.getAnnotation(Parameters.class);
            if (parameters != null) {
                words.add(parameters.paramLabel());
            }
        }
        // the standard help options of the command
        words.addAll(List.of("-h", "--help", "-V", "--version"));
        assertThat(words).contains("--no-prompt", "DIR");
        assertMentions(page("pprocess-indexer"), "pprocess-indexer.1", words);
    }

    @Test
    void examplePageDocumentsEveryExampleAndOption() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream listing = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(listing, true, StandardCharsets.UTF_8));
            Examples.main(new String[] {"--list"});
        } finally {
            System.setOut(original);
        }
        List<String> names = new ArrayList<>();
        Matcher m = EXAMPLE_LINE.matcher(listing.toString(StandardCharsets.UTF_8));
        while (m.find()) {
            names.add(m.group(1));
        }
        assertThat(names).contains("simple_pmap", "create_loop", "bottles", "raytrace_pmap");

        List<String> words = new ArrayList<>(names);
        for (Class<?> options : List.of(GridOptions.class, PersistentGridOptions.class, LoopOptions.class,
                BottlesOptions.class, RaytraceOptions.class, RaytraceClusterOptions.class)) {
            words.addAll(optionNames(options));
        }
        assertMentions(page("pprocess-example"), "pprocess-example.1", words);
    }

    @Test
    void nodePageDocumentsEveryOption() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream usage = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(usage, true, StandardCharsets.UTF_8));
            PProcessNode.main(new String[] {"--help"});
        } finally {
            System.setOut(original);
        }
        List<String> words = new ArrayList<>();
        Matcher m = Pattern.compile("(?<![\\w-])--[a-z][a-z-]*").matcher(usage.toString(StandardCharsets.UTF_8));
        while (m.find()) {
            words.add(m.group());
        }
        assertThat(words).contains("--cluster", "--members", "--bind", "--port", "--secret-file", "--workers");
        assertMentions(page("pprocess-node"), "pprocess-node.1", words);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pprocess-indexer", "pprocess-example", "pprocess-node"})
    void manFormatsThePageWithoutWarnings(String name) throws Exception {
        assumeTrue(Command.onPath("man"), "man is not installed");
        Path source = DebSources.file("man/" + name + ".1");
        // the way lintian runs man on a page (check manpages)
        Command.Result result = Command.of("man", "--warnings", "-E", "UTF-8", "-l", "-Tutf8", "-Z",
                        source.toString())
                .env("LC_ALL", "C.UTF-8").env("MANROFFSEQ", "").env("MANWIDTH", "80")
                .timeout(Duration.ofSeconds(30))
                .run();
        assertThat(result.exitStatus()).as("%s", result.describe()).isZero();
        assertThat(result.err()).as("%s", result.describe()).isEmpty();
    }
}
