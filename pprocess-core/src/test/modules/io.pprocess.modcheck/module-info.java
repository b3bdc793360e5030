/**
 * A user's application on the module path, for {@code ModulePathIT}: its own package is opened
 * to pprocess (which rebuilds its lambdas) and to Kryo (which reads its records); the package
 * {@code io.pprocess.modcheck.sealed} is opened to neither.
 */
module io.pprocess.modcheck {
    requires io.pprocess;

    opens io.pprocess.modcheck to io.pprocess, com.esotericsoftware.kryo;
}
