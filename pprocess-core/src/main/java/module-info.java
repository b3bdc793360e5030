/**
 * pprocess: elementary parallel programming with processes. Only {@code io.pprocess} is API;
 * the internal packages are opened to Kryo alone, which reads and rebuilds their messages by
 * reflection.
 */
module io.pprocess {
    requires com.esotericsoftware.kryo;
    requires org.objenesis;
    requires org.jnrproject.posix;
    requires org.jnrproject.enxio;
    requires org.jnrproject.constants;
    // jnr-ffi (the pipe transport's native calls) generates its bindings with ASM, but as an
    // automatic module it cannot say so: without this, ASM is on the module path but not
    // resolved, and the pipe transport fails with NoClassDefFoundError.
    requires org.objectweb.asm;
    // Objenesis and jnr-ffi use sun.misc.Unsafe and sun.reflect.ReflectionFactory.
    requires jdk.unsupported;
    requires jdk.net;
    // Memory and GC figures for recycling workers (PoolOptions).
    requires java.management;

    exports io.pprocess;

    opens io.pprocess to com.esotericsoftware.kryo;
    opens io.pprocess.internal.codec to com.esotericsoftware.kryo;
    opens io.pprocess.internal.exchange to com.esotericsoftware.kryo;
    opens io.pprocess.internal.message to com.esotericsoftware.kryo;
    opens io.pprocess.internal.executor to com.esotericsoftware.kryo;
}
