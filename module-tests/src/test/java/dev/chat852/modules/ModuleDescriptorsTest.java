package dev.chat852.modules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What each published module shows the world: only its API packages, and its transport as a service. */
class ModuleDescriptorsTest {
    private static final ModuleFinder CHAT852 = ModuleFinder.of(Arrays.stream(ModulePath.of(
            ModulePath.chat852("core", "core"), ModulePath.chat852("transport-jdk", "transport-jdk"),
            ModulePath.chat852("transport-netty", "transport-netty"), ModulePath.chat852("mock-server", "mock-server"))
            .split(File.pathSeparator)).map(Path::of).toArray(Path[]::new));

    private static ModuleDescriptor module(String name) {
        return CHAT852.find(name).orElseThrow(() -> new AssertionError("no module " + name)).descriptor();
    }

    private static Set<String> exports(ModuleDescriptor module) {
        assertThat(module.exports()).as("%s: exports to everyone, never to a chosen few", module.name())
                .allMatch(e -> !e.isQualified());
        return module.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
    }

    @Test
    void coreExportsTheApiTheProtocolTheDecoderAndTheSpiButNotItsInternals() {
        ModuleDescriptor core = module("dev.chat852.core");

        assertThat(exports(core)).containsExactlyInAnyOrder("dev.chat852", "dev.chat852.protocol", "dev.chat852.wire",
                "dev.chat852.spi");
        assertThat(core.packages()).contains("dev.chat852.internal");
        assertThat(core.opens()).isEmpty();
        assertThat(core.uses()).containsExactly("dev.chat852.spi.TransportProvider");
    }

    @Test
    void bothTransportsExportTheirApiAndProvideTheirProviderFromAnInternalPackage() {
        for (String name : new String[] {"jdk", "netty"}) {
            ModuleDescriptor transport = module("dev.chat852.transport." + name);

            assertThat(exports(transport)).containsExactly("dev.chat852.transport." + name);
            assertThat(transport.provides()).singleElement().satisfies(p -> {
                assertThat(p.service()).isEqualTo("dev.chat852.spi.TransportProvider");
                assertThat(p.providers()).allMatch(c -> c.startsWith("dev.chat852.transport." + name + ".internal."));
            });
            assertThat(transport.requires()).anyMatch(r -> r.name().equals("dev.chat852.core")
                    && r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE));
        }
    }

    @Test
    void theMockServerExportsOnlyItsApi() {
        ModuleDescriptor mock = module("dev.chat852.mock");

        assertThat(exports(mock)).containsExactly("dev.chat852.mock");
        assertThat(mock.packages()).contains("dev.chat852.mock.internal");
    }
}
