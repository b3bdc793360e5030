package io.pprocess.packaging;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The .deb of the build and the jars it was made from, as the build tells the tests. */
final class BuiltPackage {

    /** The package's name. */
    static final String NAME = "pprocess";

    private BuiltPackage() {
    }

    /** @return the .deb, from the system property {@code deb.file} */
    static Path deb() {
        String file = System.getProperty("deb.file");
        if (file == null) {
            throw new IllegalStateException("system property deb.file is not set; run the tests with Maven (verify)");
        }
        Path deb = Path.of(file).toAbsolutePath();
        if (!Files.isRegularFile(deb)) {
            throw new IllegalStateException("no package at " + deb + "; build it with the package phase first");
        }
        return deb;
    }

    /** @return the names of the jars copied for the package, from the system property {@code deb.jars} */
    static List<String> jarNames() throws Exception {
        Path dir = Path.of(System.getProperty("deb.jars", "target/jars"));
        try (Stream<Path> jars = Files.list(dir)) {
            return jars.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).sorted().toList();
        }
    }

    /** @return the version of the package, from the name of the .deb ({@code NAME_VERSION_all.deb}) */
    static String version() {
        String name = deb().getFileName().toString();
        return name.substring(NAME.length() + 1, name.length() - "_all.deb".length());
    }
}
