/**
 * Internal: how child JVMs are launched (command line, spare children, class-data sharing).
 */
package io.pprocess.internal.spawn;
