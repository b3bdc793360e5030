package io.pprocess.cluster;

import java.lang.reflect.Proxy;

/**
 * Catches a termination signal so that the node can stop in order and exit with status 0
 * (the JDK's default handling exits with 128 + the signal's number). Uses the JDK's
 * {@code sun.misc.Signal} (module {@code jdk.unsupported}) through reflection; where it is
 * missing the JDK's default handling stays, and the shutdown hook still cleans up.
 */
final class Signals {

    private Signals() {
    }

    /**
     * Runs {@code action} when the signal arrives, instead of ending the JVM.
     *
     * @param name the signal's name without {@code SIG}, e.g. {@code "TERM"}
     * @param action what to do
     * @return whether the handler was installed
     */
    static boolean onSignal(String name, Runnable action) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            Object proxy = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handler},
                    (self, method, args) -> {
                        if (method.getName().equals("handle")) {
                            action.run();
                            return null;
                        }
                        if (method.getName().equals("hashCode")) {
                            return System.identityHashCode(self);
                        }
                        if (method.getName().equals("equals")) {
                            return self == args[0];
                        }
                        return "pprocess-node " + name + " handler";
                    });
            Object sig = signal.getConstructor(String.class).newInstance(name);
            signal.getMethod("handle", signal, handler).invoke(null, sig, proxy);
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return false;
        }
    }
}
