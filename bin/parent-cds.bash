# The launchers' class-data-sharing archive for the program's own JVM (the parent); sourced by
# the launchers in this directory and by those of the Debian package, not run.
#
#   parent_cds_exec NAME JAVA OPTIONS CLASSPATH MAIN [ARG]...
#
# runs "JAVA OPTIONS -cp CLASSPATH MAIN ARG..." (OPTIONS is one string, split at blanks) and
# never returns. The first run of a program (NAME) of a build records the classes its JVM loaded
# when it ends (-XX:ArchiveClassesAtExit); later runs map them instead of loading, verifying and
# linking them again (pprocess, Kryo, Lucene, picocli: hundreds of classes outside the JDK's own
# archive). The archive is named by a digest of the JVM, OPTIONS, NAME and every jar of the class
# path with its size and time, so a rebuilt jar or other options get a new one. Archives live in
# $XDG_CACHE_HOME/pprocess/parent-cds (else ~/.cache/pprocess/parent-cds), a directory of mode
# 0700 owned by the user (anything else is left alone and nothing is recorded), and the 16 most
# recently used are kept. Only a run that ends with status 0 is recorded, and none that shows
# help or the version (-h, --help, -V, --version) or has an argument the launcher lists in the
# array parent_cds_skip (runs that load few of the program's classes). Nothing is done for a
# class path with directories (a build after "compile" only), and PPROCESS_PARENT_CDS=off turns it off.

# The arguments whose runs record nothing besides help and version; a launcher sets it before or
# after sourcing this file.
parent_cds_skip=("${parent_cds_skip[@]+"${parent_cds_skip[@]}"}")

# Sets parent_cds_options (the JVM options to add) and, for a recording run, parent_cds_recording
# and parent_cds_archive; leaves them empty when no archive is to be used.
parent_cds_prepare() {
    local name=$1 java=$2 options=$3 classpath=$4
    shift 5
    parent_cds_options=()
    parent_cds_recording=
    parent_cds_archive=
    [[ "${PPROCESS_PARENT_CDS:-on}" != off && "$name" =~ ^[A-Za-z0-9][A-Za-z0-9_-]*$ ]] || return 0
    local a s
    for a in "$@"; do
        for s in -h --help -V --version "${parent_cds_skip[@]}"; do
            [[ "$a" != "$s" ]] || return 0
        done
    done
    local entries entry
    IFS=: read -r -a entries <<<"$classpath"
    [[ ${#entries[@]} -gt 0 ]] || return 0
    for entry in "${entries[@]}"; do
        [[ "$entry" == *.jar && -f "$entry" ]] || return 0
    done
    local java_path java_home
    java_path="$(readlink -f -- "$(command -v -- "$java")" 2>/dev/null)" || return 0
    java_home="${java_path%/bin/java}"
    [[ -f "$java_home/lib/modules" ]] || return 0
    local cache="${XDG_CACHE_HOME:-${HOME:-}/.cache}"
    [[ "$cache" == /* ]] || return 0
    local dir="$cache/pprocess/parent-cds"
    if [[ ! -d "$dir" ]]; then
        mkdir -p -- "${dir%/*}" 2>/dev/null && mkdir -m 700 -- "$dir" 2>/dev/null || [[ -d "$dir" ]] || return 0
    fi
    [[ -O "$dir" && "$(stat -c %a -- "$dir")" == 700 ]] || return 0
    local key
    key="$( { printf '%s\n' "$java_path" "$options" "$name"
              stat -L -c '%n %s %Y' -- "$java_home/lib/modules" "${entries[@]}"; } 2>/dev/null \
        | sha256sum | cut -c1-32)" || return 0
    local archive="$dir/$name-$key.jsa"
    local quiet=(-Xlog:cds=off -Xlog:cds+dynamic=off -Xlog:class+path=off)
    if [[ -f "$archive" ]]; then
        touch -c -- "$archive" 2>/dev/null || true
        parent_cds_options=(-XX:SharedArchiveFile="$archive" "${quiet[@]}")
    else
        parent_cds_archive=$archive
        parent_cds_recording="$archive.$$.tmp"
        # Recordings left by runs that were killed go after a day.
        find "$dir" -maxdepth 1 -name '*.tmp' -mmin +1440 -delete 2>/dev/null || true
        parent_cds_options=(-XX:ArchiveClassesAtExit="$parent_cds_recording" "${quiet[@]}")
    fi
}

# Sets parent_release (options to add before OPTIONS) for the Java release of JAVA: from JDK 24,
# which warns on standard error the first time a library uses sun.misc.Unsafe's memory access
# (Kryo does), --sun-misc-unsafe-memory-access=allow, unless OPTIONS name that option.
parent_release_options() {
    local java=$1 options=$2 real release version
    parent_release=()
    [[ "$options" != *--sun-misc-unsafe-memory-access* ]] || return 0
    real="$(readlink -f -- "$(command -v -- "$java")" 2>/dev/null)" || return 0
    release="${real%/bin/java}/release"
    [[ -r "$release" ]] || return 0
    version="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")"
    [[ "$version" =~ ^[0-9]+$ && "$version" -ge 24 ]] || return 0
    parent_release=(--sun-misc-unsafe-memory-access=allow)
}

parent_cds_exec() {
    local java=$2 options=$3 classpath=$4 main=$5
    parent_release_options "$java" "$options"
    parent_cds_prepare "$@"
    shift 5
    local split
    # The options are split at blanks, but not expanded as file name patterns.
    set -f
    # shellcheck disable=SC2206  # the options are meant to be split into words
    split=($options)
    set +f
    if [[ -z "$parent_cds_recording" ]]; then
        exec "$java" "${parent_release[@]+"${parent_release[@]}"}" "${split[@]}" "${parent_cds_options[@]}" -cp "$classpath" "$main" "$@"
    fi
    # The recording run: the JVM runs as a child of this shell, which publishes the archive once
    # the JVM has ended with status 0 and passes SIGTERM and SIGHUP on to it (SIGINT from the
    # terminal reaches the JVM itself, in the same process group, and is passed on too when it
    # is sent to this shell alone). A command run in the background of a script starts with
    # SIGINT and SIGQUIT ignored, and a JVM leaves an ignored SIGINT ignored: the subshell
    # restores both before it becomes the JVM, so that Ctrl-C stops this run as it stops any
    # other. Standard input is passed on explicitly (a background command's would be /dev/null).
    (
        trap - INT QUIT
        exec "$java" "${parent_release[@]+"${parent_release[@]}"}" "${split[@]}" "${parent_cds_options[@]}" -cp "$classpath" "$main" "$@"
    ) <&0 &
    local child=$! status=0
    trap 'kill -TERM "$child" 2>/dev/null || true' TERM HUP
    trap 'kill -INT "$child" 2>/dev/null || true' INT
    while true; do
        wait "$child" && status=0 || status=$?
        kill -0 "$child" 2>/dev/null || break
    done
    trap - TERM HUP INT
    if [[ $status -eq 0 && -s "$parent_cds_recording" ]]; then
        mv -f -- "$parent_cds_recording" "$parent_cds_archive" 2>/dev/null || true
        # The least recently used beyond the 16 newest go.
        ls -t -- "${parent_cds_archive%/*}"/*.jsa 2>/dev/null | tail -n +17 \
            | while IFS= read -r old; do rm -f -- "$old"; done
    fi
    rm -f -- "$parent_cds_recording"
    exit "$status"
}
