package io.onramp.bench;

import io.onramp.gateway.tls.ServerTls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The context a figure needs to mean anything: CPU, memory, JVM, OS, TLS engine, transport. */
public final class MachineInfo {

    private MachineInfo() {}

    public static List<String> describe() {
        Runtime runtime = Runtime.getRuntime();
        return List.of(
                "cpu:       " + runtime.availableProcessors() + " cores available, "
                        + procField("/proc/cpuinfo", "model name").orElse("model unknown"),
                "memory:    " + procField("/proc/meminfo", "MemTotal").orElse("unknown") + " total, JVM max heap "
                        + runtime.maxMemory() / (1024 * 1024) + " MB",
                "java:      " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ", "
                        + System.getProperty("java.vm.name") + ")",
                "os:        " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                "tls:       " + ServerTls.engineName(),
                "transport: " + transport());
    }

    /** The load average over 1, 5 and 15 minutes, as /proc/loadavg has it: how busy the shared machine was. */
    public static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    // Vert.x prefers the native transport, but falls back to NIO when netty's epoll jar is absent.
    private static String transport() {
        try {
            Class<?> epoll = Class.forName("io.netty.channel.epoll.Epoll");
            return Boolean.TRUE.equals(epoll.getMethod("isAvailable").invoke(null)) ? "epoll (native)" : "NIO";
        } catch (ReflectiveOperationException | LinkageError e) {
            return "NIO (netty epoll not on the classpath)";
        }
    }

    private static Optional<String> procField(String file, String name) {
        try {
            return Files.readAllLines(Path.of(file)).stream()
                    .filter(line -> line.startsWith(name))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim().replaceAll("\\s+", " "))
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
