# syntax=docker/dockerfile:1
# Pier's container image: build the executable jar, split it into Spring Boot's layers, and run
# those on a JRE as a non-root user.
#   docker build -t pier:0.1.0 .
#   docker run --rm -p 8080:8080 pier:0.1.0
#   docker run --rm -p 8080:8080 -v "$PWD/site:/srv/pier/site:ro" pier:0.1.0   # serve another site
# Alternative without this file: ./mvnw spring-boot:build-image (see docs/OPERATIONS.md).

# ---- build ---------------------------------------------------------------------------------------
FROM eclipse-temurin:17-jdk AS build
WORKDIR /workspace
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
COPY src/ src/
# The cache mount keeps Maven's repository between builds (BuildKit); tests run in CI, not here.
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B package -DskipTests
# Boot 4's jar mode "tools": one folder per layer (dependencies, spring-boot-loader,
# snapshot-dependencies, application), each laid out to run with the JarLauncher.
RUN java -Djarmode=tools -jar target/pier.jar extract --layers --launcher --destination extracted

# ---- runtime -------------------------------------------------------------------------------------
FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 pier \
 && useradd --system --uid 10001 --gid pier --no-create-home --home-dir /app --shell /usr/sbin/nologin pier
WORKDIR /app
# Least to most often changed, so a code change rebuilds only the last layer.
COPY --from=build /workspace/extracted/dependencies/ ./
COPY --from=build /workspace/extracted/spring-boot-loader/ ./
COPY --from=build /workspace/extracted/snapshot-dependencies/ ./
COPY --from=build /workspace/extracted/application/ ./
# The commented defaults (read from the working directory, as with java -jar), and the site.
# Both stay owned by root: Pier only reads them.
COPY application.yml ./
COPY site/ /srv/pier/site/
ENV PIER_DOCUMENT_ROOT=/srv/pier/site \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
USER 10001:10001
# 8080 is the site (server.port); Actuator shares it unless MANAGEMENT_SERVER_PORT (e.g. 8081) is set.
EXPOSE 8080
# SIGTERM starts the graceful drain (pier.shutdown.delay, then up to 30s); give "docker stop" time:
#   docker stop --time 45 <container>
STOPSIGNAL SIGTERM
# curl ships in the Ubuntu-based eclipse-temurin 17 images (not in the 22+ ones, nor in every
# variant): if you change the base image, check it is still there, or drop this and rely on the
# orchestrator's probes (deploy/kubernetes). /readyz turns 503 as soon as shutdown begins.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
    CMD curl -fsS -o /dev/null "http://127.0.0.1:${SERVER_PORT:-8080}/readyz" || exit 1
# java runs as PID 1 and handles SIGTERM itself; it exits with 143 after a graceful shutdown.
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
