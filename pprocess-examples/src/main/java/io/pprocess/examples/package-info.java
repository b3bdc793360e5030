/** The example programs of pprocess, in Java: one concept per class, named after the original program. */
package io.pprocess.examples;
