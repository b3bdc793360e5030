package io.pprocess;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compiles every Java snippet of docs/tutorial.md, each as the body of a method. */
class TutorialSnippetsTest {
    private static final Pattern BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

    @TempDir
    Path out;

    @Test
    void everySnippetCompiles() throws IOException {
        Path tutorial = Path.of("..", "docs", "tutorial.md");
        String text = Files.readString(tutorial);
        Matcher m = BLOCK.matcher(text);
        List<JavaFileObject> sources = new ArrayList<>();
        int n = 0;
        while (m.find()) {
            String name = "Snippet" + n++;
            String source = "import io.pprocess.*;\nimport java.util.*;\nimport java.nio.file.*;\n"
                    + "import java.time.*;\n"
                    + "class " + name + " {\n  void run() throws Exception {\n" + m.group(1) + "\n  }\n}\n";
            sources.add(new SimpleJavaFileObject(URI.create("string:///" + name + ".java"), JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return source;
                }
            });
        }
        assertThat(n).as("snippets in %s", tutorial).isGreaterThan(15);
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StringWriter log = new StringWriter();
        boolean ok = compiler.getTask(log, null, diagnostics,
                List.of("-classpath", System.getProperty("java.class.path"), "-d", out.toString(), "-proc:none"),
                null, sources).call();
        StringBuilder errors = new StringBuilder();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                errors.append(d.getSource() == null ? "" : d.getSource().getName()).append(':')
                        .append(d.getLineNumber()).append(": ").append(d.getMessage(Locale.ROOT)).append('\n');
            }
        }
        assertThat(errors.toString()).isEmpty();
        assertThat(ok).as(log.toString()).isTrue();
    }
}
