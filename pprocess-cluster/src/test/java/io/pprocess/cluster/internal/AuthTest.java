package io.pprocess.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AuthTest {
    private final Secret secret = Secret.of("the secret of the cluster");
    private final byte[] fn = {1, 2, 3};
    private final List<String> jars = List.of("a".repeat(64), "b".repeat(64));

    @Test
    void aJobsCodeCoversTheClusterTheIdTheJarsInOrderAndTheFunction() {
        byte[] code = Auth.job(secret, "c", "job", jars, fn);
        assertThat(Auth.job(secret, "c", "job", jars, fn)).isEqualTo(code).hasSize(32);
        assertThat(Auth.job(secret, "d", "job", jars, fn)).isNotEqualTo(code);
        assertThat(Auth.job(secret, "c", "job2", jars, fn)).isNotEqualTo(code);
        assertThat(Auth.job(secret, "c", "job", List.of(jars.get(1), jars.get(0)), fn)).isNotEqualTo(code);
        assertThat(Auth.job(secret, "c", "job", jars.subList(0, 1), fn)).isNotEqualTo(code);
        assertThat(Auth.job(secret, "c", "job", jars, new byte[] {1, 2, 4})).isNotEqualTo(code);
        assertThat(Auth.job(Secret.of("another secret of the cluster"), "c", "job", jars, fn)).isNotEqualTo(code);
    }

    @Test
    void aChunksCodeCoversItsNumberAndEveryItemWithItsBoundaries() {
        List<byte[]> items = List.of(new byte[] {1, 2}, new byte[] {3});
        byte[] code = Auth.chunk(secret, "job", 7, items);
        assertThat(Auth.chunk(secret, "job", 7, List.of(new byte[] {1, 2}, new byte[] {3}))).isEqualTo(code);
        assertThat(Auth.chunk(secret, "job", 8, items)).isNotEqualTo(code);
        assertThat(Auth.chunk(secret, "job", 7, List.of(new byte[] {1}, new byte[] {2, 3}))).isNotEqualTo(code);
        assertThat(Auth.chunk(secret, "job", 7, List.of(new byte[] {1, 2, 3}))).isNotEqualTo(code);
        assertThat(Secret.same(code, code.clone())).isTrue();
        assertThat(Secret.same(code, null)).isFalse();
    }
}
