package dev.chat852.modules;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dev.chat852.Chat852Exception;
import dev.chat852.spi.TransportProvider;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import org.testcontainers.utility.DockerImageName;

/**
 * The layers and walls of every module, checked on the compiled main classes of all of them (the
 * command line's and the benchmarks' included): {@code module-info} enforces the walls for modular
 * users, and these rules keep them for everyone, class path users and chat852's own modules too.
 */
@AnalyzeClasses(packages = "dev.chat852", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    /** Core's packages: a class outside them is in another module. */
    private static final String[] CORE = {"dev.chat852", "dev.chat852.internal..", "dev.chat852.protocol..",
            "dev.chat852.spi..", "dev.chat852.wire.."};

    @ArchTest
    static final ArchRule theDecoderDependsOnTheJdkAndJacksonOnly = classes()
            .that().resideInAPackage("dev.chat852.wire..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("dev.chat852.wire..", "java..", "com.fasterxml.jackson..")
            .because("wire is the lowest layer: bytes to frames and text, knowing nothing of the client above it");

    @ArchTest
    static final ArchRule theSpiDependsOnTheJdkAndTheExceptionsItNamesOnly = classes()
            .that().resideInAPackage("dev.chat852.spi..")
            .should().onlyDependOnClassesThat(JavaClass.Predicates.resideInAnyPackage("dev.chat852.spi..", "java..")
                    .or(JavaClass.Predicates.assignableTo(Chat852Exception.class)))
            .because("a transport author implements the SPI without the client's internals");

    @ArchTest
    static final ArchRule theProtocolDependsOnTheApiJacksonAndTheJdkOnly = classes()
            .that().resideInAPackage("dev.chat852.protocol..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("dev.chat852", "dev.chat852.protocol..", "java..",
                    "com.fasterxml.jackson..")
            .because("the mock server and the client share it; it must not pull in the call layer");

    @ArchTest
    static final ArchRule onlyCoreReachesCoresInternals = noClasses()
            .that().resideOutsideOfPackages(CORE)
            .should().dependOnClassesThat().resideInAPackage("dev.chat852.internal..");

    @ArchTest
    static final ArchRule onlyTheJdkTransportReachesItsInternals = internalsOf("dev.chat852.transport.jdk");

    @ArchTest
    static final ArchRule onlyTheNettyTransportReachesItsInternals = internalsOf("dev.chat852.transport.netty");

    @ArchTest
    static final ArchRule onlyTheMockServerReachesItsInternals = internalsOf("dev.chat852.mock");

    @ArchTest
    static final ArchRule librariesLogThroughSystemLoggerOnly = noClasses()
            .that().resideOutsideOfPackages("dev.chat852.cli..", "dev.chat852.bench..", "dev.chat852.testkit..",
                    "dev.chat852.tck..")
            .should().dependOnClassesThat().resideInAnyPackage("java.util.logging..", "org.slf4j..",
                    "org.apache.logging..", "org.apache.commons.logging..", "io.netty.util.internal.logging..")
            .because("one logging story: the libraries log through System.Logger, which the application routes;"
                    + " only the command line (and the benchmarks' harness) configure a logging system; the test kits"
                    + " (testkit, the transport kit) read JUL records to check what the libraries logged");

    @ArchTest
    static final ArchRule transportProvidersLiveInInternalPackages = classes()
            .that().implement(TransportProvider.class)
            .should().resideInAPackage("..internal..")
            .because("they are found by ServiceLoader, never called by users: both transports place them alike");

    @ArchTest
    static final ArchRule noPublicMutableStatics = fields()
            .that().areStatic().and().arePublic()
            .and().areDeclaredInClassesThat().resideOutsideOfPackage("..jmh_generated..") // JMH writes those
            .should().beFinal().andShould(holdAnImmutableValue())
            .because("a public static that can change is configuration every caller shares without knowing");

    private static ArchRule internalsOf(String module) {
        return noClasses().that().resideOutsideOfPackage(module + "..")
                .should().dependOnClassesThat().resideInAPackage(module + ".internal..");
    }

    /**
     * Primitives, strings, durations, URIs, enums, Testcontainers' image names (immutable: {@code with…}
     * returns a new one), and interface constants (stateless lambdas such as {@code NONE}).
     */
    private static ArchCondition<JavaField> holdAnImmutableValue() {
        Set<Class<?>> values = Set.of(String.class, Duration.class, URI.class, Integer.class, Long.class, Boolean.class,
                DockerImageName.class);
        DescribedPredicate<JavaField> immutable = DescribedPredicate.describe("immutable", field -> {
            JavaClass type = field.getRawType();
            return type.isPrimitive() || type.isEnum() || values.stream().anyMatch(type::isEquivalentTo)
                    || field.getOwner().isInterface() && type.isInterface();
        });
        return new ArchCondition<>("hold an immutable value") {
            @Override
            public void check(JavaField field, ConditionEvents events) {
                if (!immutable.test(field)) {
                    events.add(SimpleConditionEvent.violated(field, field.getFullName() + " is of the mutable type "
                            + field.getRawType().getName()));
                }
            }
        };
    }
}
