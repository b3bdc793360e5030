package io.pprocess.bench;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks the boundaries between the modules, on their compiled classes (this module depends on
 * all the others): no package is split between two modules, and no module but core uses
 * {@code io.pprocess.internal} — except the few classes named in {@link #STILL_REACHING_IN},
 * which still call internals for which core has no public hook yet. A new class that reaches
 * in fails this test.
 */
class ModuleBoundaryTest {
    /**
     * Classes outside core that still use core's internals, and what for: ending warm workers
     * between benchmark trials.
     */
    private static final Set<String> STILL_REACHING_IN = Set.of("io.pprocess.bench.PoolStorm");

    private static JavaClasses all;

    @BeforeAll
    static void importModules() {
        all = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.pprocess");
    }

    private static String module(JavaClass c) {
        String where = c.getSource().map(s -> s.getUri().toString()).orElse("?");
        for (String m : new String[] {"pprocess-core", "pprocess-cluster", "pprocess-examples", "pprocess-indexer",
                "pprocess-bench"}) {
            if (where.contains("/" + m + "/") || where.contains("/" + m + "-")) {
                return m;
            }
        }
        return where;
    }

    @Test
    void everyModuleSeesTheOthersClasses() {
        Set<String> modules = new TreeSet<>();
        all.forEach(c -> modules.add(module(c)));
        assertThat(modules).contains("pprocess-core", "pprocess-cluster", "pprocess-examples", "pprocess-indexer",
                "pprocess-bench");
    }

    @Test
    void noPackageIsSplitBetweenModules() {
        Map<String, Set<String>> modulesOfPackage = new TreeMap<>();
        all.forEach(c -> modulesOfPackage.computeIfAbsent(c.getPackageName(), k -> new TreeSet<>()).add(module(c)));
        modulesOfPackage.values().removeIf(m -> m.size() == 1);
        assertThat(modulesOfPackage).as("packages found in more than one module").isEmpty();
    }

    @Test
    void onlyCoreUsesItsInternals() {
        DescribedPredicate<JavaClass> outsideCore = DescribedPredicate.describe("outside pprocess-core",
                c -> !module(c).equals("pprocess-core")
                        && !STILL_REACHING_IN.contains(c.getName().replaceAll("\\$.*", "")));
        noClasses().that(outsideCore).should().dependOnClassesThat()
                .resideInAPackage("io.pprocess.internal..").check(all);
    }
}
