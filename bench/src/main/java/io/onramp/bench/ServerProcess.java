package io.onramp.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The {@link BenchServers} process, seen from the load generator's side: started with the JVM options of
 * {@code BENCH_SERVER_JAVA_OPTS} (default {@code -XX:+UseZGC}, as {@code ./onramp start}) and this JVM's class path,
 * its log on this process's stderr, stopped when the bench ends, whichever way.
 */
final class ServerProcess implements AutoCloseable {

    private final Process process;
    private final BufferedReader answers;
    private final PrintStream commands;
    private final int gatewayPort;
    private final int barePort;
    private final Path caFile;
    private final String javaOptions;

    private ServerProcess(Process process, String javaOptions) throws IOException {
        this.process = process;
        this.javaOptions = javaOptions;
        this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.commands = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        String[] ready = call(null).value().split(" ", 3);
        this.gatewayPort = Integer.parseInt(ready[0]);
        this.barePort = Integer.parseInt(ready[1]);
        this.caFile = Path.of(ready[2]);
    }

    static ServerProcess start(Path dataDir, boolean withBare, boolean customAllocation) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String options = System.getenv().getOrDefault("BENCH_SERVER_JAVA_OPTS", "-XX:+UseZGC").trim();
        if (!options.isEmpty()) {
            command.addAll(List.of(options.split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), BenchServers.class.getName(),
                dataDir.toString()));
        if (withBare) {
            command.add("bare");
        }
        if (customAllocation) {
            command.add("custom");
        }
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        try {
            return new ServerProcess(process, options);
        } catch (IOException | RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    String javaOptions() {
        return javaOptions;
    }

    long pid() {
        return process.pid();
    }

    int gatewayPort() {
        return gatewayPort;
    }

    int barePort() {
        return barePort;
    }

    Path caFile() {
        return caFile;
    }

    /** Collects the servers' heap and waits until their JVM is idle. */
    void quiet() throws IOException {
        call("quiet");
    }

    /** Starts counting the servers' CPU, allocation, collections and JIT. */
    void begin() throws IOException {
        call("begin");
    }

    /** What the servers' threads spent per registration since {@link #begin}, as report lines. */
    List<String> end(long registrations) throws IOException {
        return call("end " + registrations).lines();
    }

    /** Milliseconds the servers' JIT has compiled for since their JVM started. */
    long jitMillis() throws IOException {
        return Long.parseLong(call("jit").value());
    }

    /** The servers' JVM's minor page faults since it started (-1 where the system does not tell). */
    long minorFaults() throws IOException {
        return Long.parseLong(call("faults").value());
    }

    /** The gateway's stored devices per hub. */
    Map<String, Long> devicesPerHub() throws IOException {
        Map<String, Long> stored = new TreeMap<>();
        for (String line : call("stored").lines()) {
            int space = line.lastIndexOf(' ');
            stored.put(line.substring(0, space), Long.parseLong(line.substring(space + 1)));
        }
        return stored;
    }

    private record Answer(List<String> lines, String value) {}

    /** Sends a command (none: reads the greeting) and reads its answer: "line" lines, then "ok". */
    private Answer call(String command) throws IOException {
        if (command != null) {
            commands.println(command);
        }
        List<String> lines = new ArrayList<>();
        for (String line = answers.readLine(); line != null; line = answers.readLine()) {
            if (!line.startsWith(BenchServers.PREFIX)) {
                continue;
            }
            String text = line.substring(BenchServers.PREFIX.length());
            if (text.startsWith("line ")) {
                lines.add(text.substring(5));
            } else if (text.equals("ok") || text.startsWith("ok ")) {
                return new Answer(lines, text.length() > 3 ? text.substring(3) : "");
            } else {
                throw new IOException("the servers answered " + (command == null ? "their start" : command) + ": " + text);
            }
        }
        throw new IOException("the servers' process ended (exit " + exitValueOrNone() + ")");
    }

    private String exitValueOrNone() {
        try {
            return String.valueOf(process.waitFor(5, TimeUnit.SECONDS) ? process.exitValue() : "still running");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    @Override
    public void close() throws Exception {
        commands.println("stop");
        commands.close();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
