package io.pprocess.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The last check of {@code ./mvnw verify} (the packaging module is the last of the reactor and
 * runs its integration tests in alphabetical order): the test suite left no user account and
 * none of its tools' files in /tmp (a JVM's {@code hsperfdata_USER} of a user it created, JMH's
 * {@code jmh.lock}, lintian's {@code mldbm-*} files) that were not there when the build started.
 * The state of the build start is recorded by the root project in its validate phase; without it
 * (a build of this module alone) the test is skipped, and the check of /tmp is skipped while
 * another Maven build runs on the machine (as on a shared development machine: its files could
 * not be told from this build's; CI runs one build).
 */
class SuiteLeavesNothingIT {

    @Test
    void noUserAndNoFileOfTheSuiteIsLeftInTmp() throws Exception {
        Leftovers.Snapshot before = Leftovers.Snapshot.atBuildStart();
        assumeTrue(before != null, "no record of the build start (../target/system-before.txt)");

        Set<String> newUsers = new TreeSet<>(Leftovers.users());
        newUsers.removeAll(before.users());
        assertThat(newUsers).as("user accounts created by the build and not removed").isEmpty();

        assumeTrue(!Leftovers.otherBuildsRunning(),
                "another Maven build runs on this machine: its files in /tmp cannot be told from this build's");
        Set<String> left = Leftovers.newEntries(before.tmp(), Leftovers.SUITE_PATTERNS.toArray(String[]::new));
        for (String user : newUsers) {
            left.addAll(Leftovers.newEntries(before.tmp(), "hsperfdata_" + user));
        }
        assertThat(left).as("entries of /tmp made by the build and left there").isEmpty();
    }
}
