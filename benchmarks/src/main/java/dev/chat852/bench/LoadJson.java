package dev.chat852.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;

/**
 * {@link MockLoad}'s results as JSON ({@code --json FILE}), for {@link Plots}: the settings, then one object
 * per reported run with the figures of its table row (times in ms or µs, as the names say; a figure with
 * nothing to measure, such as lateness when no answer completed, is null).
 */
final class LoadJson {
    private LoadJson() {
    }

    static void write(MockLoad.Options o, Expected nominal, List<MockLoad.Result> results) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        ObjectNode settings = root.putObject("settings");
        settings.put("headMs", o.headMs).put("chunks", nominal.sizes.length).put("chunkBytes", nominal.sizes[0])
                .put("gapMs", o.gapMs).put("speed", o.speed).put("nominalMs", nominal.nominalNanos / 1e6)
                .put("maxP99Ms", o.maxP99Ms).put("maxLateMs", o.maxLateMs).put("jvm", System.getProperty("java.vm.version"))
                .put("cores", Runtime.getRuntime().availableProcessors());
        ArrayNode runs = root.putArray("runs");
        for (MockLoad.Result r : results) {
            ObjectNode run = runs.addObject();
            run.put("server", r.server).put("connections", r.connections).put("completed", r.completed)
                    .put("passes", r.passes(o)).put("wallMinusNominalMs", (r.wall - r.nominal) / 1e6);
            figure(run, "headLateP50Ms", MockLoad.pct(r.head, 0.5), 1e6);
            figure(run, "headLateP99Ms", MockLoad.pct(r.head, 0.99), 1e6);
            figure(run, "latenessP50Us", MockLoad.pct(r.lateness, 0.5), 1e3);
            figure(run, "latenessP99Us", MockLoad.pct(r.lateness, 0.99), 1e3);
            figure(run, "latenessMaxUs", MockLoad.max(r.lateness), 1e3);
            figure(run, "gapExcessP50Us", MockLoad.pct(r.gapExcess, 0.5), 1e3);
            figure(run, "gapExcessP99Us", MockLoad.pct(r.gapExcess, 0.99), 1e3);
            figure(run, "gapExcessMaxUs", MockLoad.max(r.gapExcess), 1e3);
            figure(run, "clientLagP99Us", MockLoad.pct(r.clientLag, 0.99), 1e3);
            figure(run, "serverCpuMs", r.serverCpu < 0 ? Long.MIN_VALUE : r.serverCpu, 1e6);
            figure(run, "clientCpuMs", r.clientCpu, 1e6);
            run.put("firstFailure", r.firstFailure);
        }
        json.writerWithDefaultPrettyPrinter().writeValue(o.json.toFile(), root);
    }

    /** {@code nanos} in the given unit; {@link Long#MIN_VALUE} (nothing measured) as null. */
    private static void figure(ObjectNode run, String name, long nanos, double unit) {
        if (nanos == Long.MIN_VALUE) {
            run.putNull(name);
        } else {
            run.put(name, nanos / unit);
        }
    }
}
