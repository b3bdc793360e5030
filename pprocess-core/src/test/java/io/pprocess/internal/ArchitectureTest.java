package io.pprocess.internal;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameEndingWith;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameStartingWith;
import static com.tngtech.archunit.core.domain.JavaAccess.Predicates.target;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks the package structure of the library's own classes (see {@code docs/architecture.md}):
 * no cycle between internal packages, and internals that use the public API's types only where
 * they implement or throw them.
 */
class ArchitectureTest {
    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.pprocess");
    }

    @Test
    void theInternalPackagesHaveNoCycle() {
        slices().matching("io.pprocess.internal.(*)..").namingSlices("internal.$1")
                .should().beFreeOfCycles().check(core);
    }

    @Test
    void theRootInternalPackageAndTheWireFormatDependOnNoOtherInternalPackage() {
        noClasses().that().resideInAnyPackage("io.pprocess.internal", "io.pprocess.internal.wire")
                .should().dependOnClassesThat(resideInAPackage("io.pprocess.internal..")
                        .and(not(resideInAPackage("io.pprocess.internal")))
                        .and(not(resideInAPackage("io.pprocess.internal.wire"))))
                .check(core);
    }

    @Test
    void messagesDependOnNoOtherInternalPackage() {
        noClasses().that().resideInAPackage("io.pprocess.internal.message")
                .should().dependOnClassesThat(resideInAPackage("io.pprocess.internal..")
                        .and(not(resideInAPackage("io.pprocess.internal.message"))))
                .check(core);
    }

    @Test
    void theTransportsDependOnTheWireFormatAlone() {
        noClasses().that().resideInAPackage("io.pprocess.internal.transport")
                .should().dependOnClassesThat(resideInAPackage("io.pprocess.internal..")
                        .and(not(resideInAPackage("io.pprocess.internal")))
                        .and(not(resideInAPackage("io.pprocess.internal.transport")))
                        .and(not(resideInAPackage("io.pprocess.internal.wire"))))
                .check(core);
    }

    @Test
    void onlyTheSpawnPackageStartsProcesses() {
        noClasses().that().resideOutsideOfPackage("io.pprocess.internal.spawn")
                .should().dependOnClassesThat().belongToAnyOf(ProcessBuilder.class)
                .orShould().callMethodWhere(target(name("posix_spawnp")))
                .orShould().callMethodWhere(target(name("posix_spawn")))
                .check(core);
    }

    @Test
    void theChannelDoesNotKnowHowItsProcessWasStarted() {
        noClasses().that().resideInAPackage("io.pprocess.internal.channel")
                .should().dependOnClassesThat(resideInAPackage("io.pprocess.internal.spawn"))
                .check(core);
    }

    /**
     * The API types an internal class may use: the interfaces it implements (channels, tasks,
     * the serialisable functions it wraps), the exceptions it throws, the options it applies
     * ({@code PoolOptions}), the user's callbacks it calls ({@code ProgressListener}) and the
     * values it builds for the API ({@code KeptWorker}, {@code Progress}).
     */
    private static final DescribedPredicate<JavaClass> IMPLEMENTED_OR_THROWN =
            assignableTo(Throwable.class)
                    .or(simpleNameStartingWith("ChannelTask"))
                    .or(simpleNameStartingWith("Serializable"))
                    .or(assignableTo(io.pprocess.Channel.class))
                    .or(simpleNameEndingWith("Options"))
                    .or(assignableTo(io.pprocess.KeptWorker.class))
                    .or(assignableTo(io.pprocess.Progress.class))
                    .or(assignableTo(io.pprocess.ProgressListener.class))
                    .as("an API type that internals implement, throw, apply or build");

    @Test
    void internalsUseTheApiOnlyWhereTheyImplementOrThrowIt() {
        noClasses().that().resideInAPackage("io.pprocess.internal..")
                .should().dependOnClassesThat(resideInAPackage("io.pprocess").and(not(IMPLEMENTED_OR_THROWN)))
                .check(core);
    }

    /**
     * {@code Exchange} is a façade over {@code internal.exchange}: it starts no child, connects
     * to no persistent process and builds no message itself; its parts do ({@code JobStarter},
     * {@code ReuseHandOver}).
     */
    @Test
    void theExchangeReachesTheInternalsOnlyThroughItsParts() {
        noClasses().that().haveFullyQualifiedName("io.pprocess.Exchange")
                .or().haveNameMatching("io\\.pprocess\\.Exchange\\$.*")
                .should().dependOnClassesThat(resideInAPackage("io.pprocess.internal..")
                        .and(not(resideInAPackage("io.pprocess.internal.exchange")))
                        .and(not(name("io.pprocess.internal.channel.FrameChannel"))))
                .orShould().dependOnClassesThat(name("io.pprocess.PProcess"))
                .check(core);
    }

    @Test
    void theChildSideIsNotReachedFromTheParentsLauncher() {
        noClasses().that().resideInAnyPackage("io.pprocess.internal.spawn", "io.pprocess.internal.transport",
                        "io.pprocess.internal.channel", "io.pprocess.internal.exchange")
                .should().dependOnClassesThat(resideInAPackage("io.pprocess.internal.child"))
                .check(core);
    }
}
