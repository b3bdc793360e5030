package io.pprocess.indexer;

import java.io.Reader;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.charfilter.HTMLStripCharFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.util.BytesRef;

/**
 * Splits text into the indexer's words: Unicode word boundaries ({@link StandardTokenizer}),
 * lower case, accents and other marks folded to ASCII where an ASCII equivalent exists
 * ({@link ASCIIFoldingFilter}). Text read through the {@link #HTML} field has its mark-up
 * removed first ({@link HTMLStripCharFilter}); offsets still point into the original text.
 */
final class WordAnalyzer extends Analyzer {
    /** The field name for plain text. */
    static final String TEXT = "text";
    /** The field name for HTML: tags, comments and scripts are not indexed, entities are decoded. */
    static final String HTML = "html";

    @Override
    protected TokenStreamComponents createComponents(String fieldName) {
        Tokenizer source = new StandardTokenizer();
        TokenStream words = new ASCIIFoldingFilter(new LowerCaseFilter(source));
        return new TokenStreamComponents(source, words);
    }

    @Override
    protected Reader initReader(String fieldName, Reader reader) {
        return HTML.equals(fieldName) ? new HTMLStripCharFilter(reader) : reader;
    }

    @Override
    protected TokenStream normalize(String fieldName, TokenStream in) {
        return new ASCIIFoldingFilter(new LowerCaseFilter(in));
    }

    /**
     * Brings a query prefix to the form of indexed words (lower case, folded), without splitting it.
     *
     * @param prefix what the user typed
     * @return the normalised prefix
     */
    String normalizePrefix(String prefix) {
        if (prefix.isEmpty()) {
            return prefix;
        }
        BytesRef bytes = normalize(TEXT, prefix);
        return bytes.utf8ToString();
    }
}
