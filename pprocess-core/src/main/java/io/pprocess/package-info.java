/**
 * Elementary parallel programming with processes: children started with a task, channels to them, exchanges that watch many channels, {@code pmap}, and persistent background processes. The only package whose types are public API; see {@link io.pprocess.PProcess} for the entry points.
 */
package io.pprocess;
