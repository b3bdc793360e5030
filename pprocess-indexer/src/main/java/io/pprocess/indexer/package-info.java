/** A parallel text indexer answering prefix queries: the start_indexer demo of pprocess as a tool. */
package io.pprocess.indexer;
