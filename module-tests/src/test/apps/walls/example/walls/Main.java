package example.walls;

import dev.chat852.internal.CallSettings;
import dev.chat852.transport.jdk.internal.JdkTransportProvider;

public final class Main {
    public static void main(String[] args) {
        System.out.println(CallSettings.builder() + " " + new JdkTransportProvider().name());
    }
}
