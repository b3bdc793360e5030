/**
 * The "99 bottles" showcase of the Python concurrency SIG: children follow growing files like
 * {@code tail -f}, other children grep the lines for patterns, and the parent prints matches.
 */
package io.pprocess.examples.bottles;
