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
 * all the others): no package is split between two modules, and no module but core — not the
 * benchmarks, the examples, the indexer or the cluster — uses {@code io.pprocess.internal}: they
 * use the public API as any other project would. A class that reaches in fails this test.
 */
class ModuleBoundaryTest {
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
                c -> !module(c).equals("pprocess-core"));
        assertThat(all.stream().filter(outsideCore).map(ModuleBoundaryTest::module).distinct())
                .as("the modules checked").contains("pprocess-bench", "pprocess-examples", "pprocess-indexer",
                        "pprocess-cluster");
        noClasses().that(outsideCore).should().dependOnClassesThat()
                .resideInAPackage("io.pprocess.internal..").check(all);
    }
}
