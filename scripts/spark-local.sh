#!/usr/bin/env bash
# Runs the Spark job on this machine with a local master, from the jars Maven fetched (no Spark download):
#
#   scripts/spark-local.sh INPUT... OUTPUT_DIR
#
# INPUT: capture files, directories or globs (quote a glob to let the job expand it: it also takes hdfs:// and
# s3a:// paths). OUTPUT_DIR must not exist. It builds target/teardown-spark.jar first when the sources are newer
# (mvn -Pspark package). Environment:
#   SPARK_MASTER         the master (default local[*]: every core of this machine)
#   TEARDOWN_SPARK_OPTS  more options of the job, e.g. "--shards 4 --time-wait 120"
#   TEARDOWN_JAVA_OPTS   JVM options, e.g. -Xmx8g (the default heap is a quarter of the memory)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ $# -lt 2 ]; then
    echo "usage: $0 INPUT... OUTPUT_DIR" >&2
    exit 2
fi
jar="$root/target/teardown-spark.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$root/src/main" "$root/src/spark" "$root/pom.xml" -newer "$jar" -print -quit)" ]; then
    echo "spark-local: building target/teardown-spark.jar (mvn -Pspark package, about a minute)" >&2
    (cd "$root" && mvn -B -q -ntp -Pspark package -DskipTests -Dfuzz.skip=true) >&2
fi
# Spark's own class path, as spark-submit would give it: spark-sql and what it needs, resolved alone (so that no
# version the CLI pins for itself replaces one of Spark's), from the local Maven repository.
spark_version="$(sed -n 's:.*<spark.version>\(.*\)</spark.version>.*:\1:p' "$root/pom.xml")"
runtime="$root/target/spark-runtime"
classpath="$runtime/classpath-$spark_version.txt"
if [ ! -f "$classpath" ]; then
    mkdir -p "$runtime"
    cat > "$runtime/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.teardown</groupId>
  <artifactId>spark-runtime</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.spark</groupId>
      <artifactId>spark-sql_2.13</artifactId>
      <version>$spark_version</version>
    </dependency>
  </dependencies>
</project>
POM
    (cd "$runtime" && mvn -B -q -ntp dependency:build-classpath -Dmdep.outputFile="$classpath") >&2
fi

inputs=()
for ((i = 1; i < $#; i++)); do inputs+=(--input "${!i}"); done
output="${!#}"

# The module options Spark adds itself on Java 17, kept in one place: the pom's spark.moduleOptions.
read -r -a module_options <<< "$(sed -n 's:.*<spark.moduleOptions>\(.*\)</spark.moduleOptions>.*:\1:p' "$root/pom.xml")"
# Spark logs every stage at INFO; only warnings and errors here, on stderr.
log_config="$(mktemp --suffix=.properties "${TMPDIR:-/tmp}/teardown-spark-log4j2.XXXXXX")"
trap 'rm -f "$log_config"' EXIT
cat > "$log_config" <<'EOF'
rootLogger.level = warn
rootLogger.appenderRef.stderr.ref = stderr
appender.stderr.type = Console
appender.stderr.name = stderr
appender.stderr.target = SYSTEM_ERR
appender.stderr.layout.type = PatternLayout
appender.stderr.layout.pattern = spark: %p %c{1}: %m%n
logger.native.name = org.apache.hadoop.util.NativeCodeLoader
logger.native.level = error
EOF

# shellcheck disable=SC2086 # TEARDOWN_JAVA_OPTS and TEARDOWN_SPARK_OPTS are word lists
java "${module_options[@]}" ${TEARDOWN_JAVA_OPTS:-} -Dlog4j2.configurationFile="$log_config" \
    -cp "$jar:$(cat "$classpath")" dev.teardown.spark.TeardownSpark --master "${SPARK_MASTER:-local[*]}" \
    "${inputs[@]}" --output "$output" ${TEARDOWN_SPARK_OPTS:-}
