# Shell functions of the pprocess launchers in /usr/bin; sourced by them, not run.
#
#   pprocess_exec MAIN OPTIONS [ARG]...
#
# runs the Java class MAIN with the jars of /usr/share/pprocess as its class path, the JVM
# options OPTIONS (one string, split at blanks) and the arguments ARG. The JVM is
# $JAVA_HOME/bin/java when JAVA_HOME is set and not empty, else the java found on PATH; it
# must be Java 17 or later, or the launcher stops with a message saying what it found. When the
# launcher runs in bash and sets pprocess_cds_name, the JVM gets a class-data-sharing archive of
# the classes it loads (/usr/share/pprocess/parent-cds.bash; PPROCESS_PARENT_CDS=off turns it off).

pprocess_lib=/usr/share/pprocess
pprocess_min_java=17
pprocess_name=${0##*/}

pprocess_fail() {
    printf '%s: %s\n' "$pprocess_name" "$*" >&2
    exit 1
}

# Prints the feature release of the JVM whose java executable is $1 (17 for 17.0.15, 8 for
# 1.8.0_392), from the release file of its installation or else from "java -version";
# prints nothing if neither tells.
pprocess_java_feature() {
    pprocess_v=
    pprocess_real=$(readlink -f -- "$1") || pprocess_real=$1
    pprocess_release=${pprocess_real%/bin/*}/release
    if [ -r "$pprocess_release" ]; then
        pprocess_v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$pprocess_release")
    fi
    if [ -z "$pprocess_v" ]; then
        pprocess_v=$("$1" -version 2>&1 | sed -n 's/^.* version "\([^"]*\)".*$/\1/p' | sed -n 1p) || true
    fi
    case $pprocess_v in
        1.*) pprocess_v=${pprocess_v#1.} ;;
    esac
    printf '%s\n' "${pprocess_v%%[!0-9]*}"
}

pprocess_exec() {
    pprocess_main=$1
    pprocess_options=$2
    shift 2

    if [ -n "${JAVA_HOME:-}" ]; then
        pprocess_java=$JAVA_HOME/bin/java
        [ -f "$pprocess_java" ] && [ -x "$pprocess_java" ] \
            || pprocess_fail "JAVA_HOME is $JAVA_HOME, but $pprocess_java is not an executable file;" \
                "set JAVA_HOME to a Java $pprocess_min_java or later installation, or unset it to use java from PATH"
    else
        pprocess_java=$(command -v java) \
            || pprocess_fail "no Java runtime found: JAVA_HOME is not set and there is no java on PATH;" \
                "install one (apt-get install default-jre-headless) or set JAVA_HOME to a Java $pprocess_min_java or later installation"
    fi

    pprocess_feature=$(pprocess_java_feature "$pprocess_java")
    [ -n "$pprocess_feature" ] \
        || pprocess_fail "cannot tell which Java version $pprocess_java is; pprocess needs Java $pprocess_min_java or later"
    [ "$pprocess_feature" -ge "$pprocess_min_java" ] \
        || pprocess_fail "$pprocess_java is Java $pprocess_feature, but pprocess needs Java $pprocess_min_java or later;" \
            "set JAVA_HOME to a Java $pprocess_min_java or later installation"

    # From JDK 24 the JVM warns on standard error the first time a library uses sun.misc.Unsafe's
    # memory access, which Kryo does: the program's JVM allows it unless the options say otherwise.
    if [ "$pprocess_feature" -ge 24 ]; then
        case $pprocess_options in
            *--sun-misc-unsafe-memory-access*) ;;
            *) pprocess_options="--sun-misc-unsafe-memory-access=allow${pprocess_options:+ $pprocess_options}" ;;
        esac
    fi

    pprocess_classpath=
    for pprocess_jar in "$pprocess_lib"/*.jar; do
        [ -f "$pprocess_jar" ] \
            || pprocess_fail "no jars in $pprocess_lib; reinstall the pprocess package"
        pprocess_classpath=${pprocess_classpath:+$pprocess_classpath:}$pprocess_jar
    done

    # A launcher run by bash that names its program in pprocess_cds_name gives the program's JVM
    # a class-data-sharing archive, recorded by its first run (parent-cds.bash).
    if [ -n "${BASH_VERSION:-}" ] && [ -n "${pprocess_cds_name:-}" ] && [ -r "$pprocess_lib/parent-cds.bash" ]; then
        # shellcheck source=/dev/null
        . "$pprocess_lib/parent-cds.bash"
        parent_cds_exec "$pprocess_cds_name" "$pprocess_java" "$pprocess_options" "$pprocess_classpath" \
            "$pprocess_main" "$@"
    fi

    # The options are split at blanks, but not expanded as file name patterns.
    set -f
    # shellcheck disable=SC2086
    exec "$pprocess_java" $pprocess_options -cp "$pprocess_classpath" "$pprocess_main" "$@"
}
