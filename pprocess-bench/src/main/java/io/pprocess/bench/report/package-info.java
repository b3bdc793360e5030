/**
 * Reading benchmark results (JMH JSON, the Python peer's JSON) and drawing them as PNG charts
 * with XChart; the entry point is {@link io.pprocess.bench.report.Charts}.
 */
package io.pprocess.bench.report;
