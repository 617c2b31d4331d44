package io.onramp.bench.mqtt;

import java.io.IOException;

/**
 * Cores used by the load client (this JVM) and by the broker process over one measuring window:
 * on a machine they share, this tells whether the client could have been what limited the figure,
 * and whether something else (a build, another test) took cores meanwhile.
 */
final class CpuShare {

    /** The cores each side used, averaged over the window, and what the rest of the machine used meanwhile. */
    record Cores(double client, double broker, double others) {}

    private static final long SELF = ProcessHandle.current().pid();

    private final long brokerPid;
    private final long startNanos;
    private final long clientStart;
    private final long brokerStart;
    private final long machineStart;

    private CpuShare(long brokerPid) throws IOException {
        this.brokerPid = brokerPid;
        this.clientStart = Processes.cpuNanos(SELF);
        this.brokerStart = Processes.cpuNanos(brokerPid);
        this.machineStart = Processes.machineBusyNanos();
        this.startNanos = System.nanoTime();
    }

    static CpuShare start(long brokerPid) throws IOException {
        return new CpuShare(brokerPid);
    }

    Cores stop() throws IOException {
        double elapsed = System.nanoTime() - startNanos;
        double client = (Processes.cpuNanos(SELF) - clientStart) / elapsed;
        double broker = (Processes.cpuNanos(brokerPid) - brokerStart) / elapsed;
        double machine = (Processes.machineBusyNanos() - machineStart) / elapsed;
        return new Cores(client, broker, Math.max(0, machine - client - broker));
    }
}
