/**
 * A user's application on the module path: its lambdas are rebuilt by pprocess and its records
 * read by Kryo, so it opens its package to both.
 */
module io.pprocess.client {
    requires io.pprocess;

    opens io.pprocess.client to io.pprocess, com.esotericsoftware.kryo;
}
