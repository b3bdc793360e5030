/**
 * The ray tracer example in its sequential and parallel forms ({@code raytrace}, {@code raytrace_pmap}, {@code raytrace_queue}, {@code raytrace_reusable}), writing byte-identical {@code test.tif} images.
 */
package io.pprocess.examples.raytrace;
