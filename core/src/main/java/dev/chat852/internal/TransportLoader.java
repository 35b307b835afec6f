package dev.chat852.internal;

import dev.chat852.spi.Transport;
import dev.chat852.spi.TransportProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** Finds the transport when the builder was given none. */
public final class TransportLoader {
    /** System property naming the provider to use when several are on the classpath. */
    public static final String PROPERTY = "chat852.transport";

    private TransportLoader() {
    }

    public static Transport load() {
        List<TransportProvider> found = new ArrayList<>();
        ServiceLoader.load(TransportProvider.class, TransportLoader.class.getClassLoader()).forEach(found::add);
        return choose(found, System.getProperty(PROPERTY)).create();
    }

    static TransportProvider choose(List<TransportProvider> found, String wanted) {
        String names = found.stream().map(TransportProvider::name).collect(Collectors.joining(", "));
        if (wanted != null && !wanted.isBlank()) {
            return found.stream().filter(p -> p.name().equals(wanted.trim())).findFirst().orElseThrow(() ->
                    new IllegalStateException("the system property " + PROPERTY + " asks for transport '" + wanted
                            + "', but the classpath has " + (found.isEmpty() ? "none" : names)));
        }
        if (found.isEmpty()) {
            throw new IllegalStateException("no chat852 transport on the classpath: add the dependency"
                    + " dev.chat852:chat852-transport-jdk (or chat852-transport-netty), or pass one to"
                    + " ChatClient.builder().transport(...)");
        }
        if (found.size() > 1) {
            throw new IllegalStateException("several chat852 transports on the classpath (" + names + "): choose"
                    + " one with ChatClient.builder().transport(...) or the system property " + PROPERTY
                    + "=<name>");
        }
        return found.get(0);
    }
}
