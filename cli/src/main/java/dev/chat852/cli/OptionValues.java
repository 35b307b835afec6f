package dev.chat852.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Converters for option values that say, in words, what form was expected: picocli puts their message
 * after {@code Invalid value for option '--NAME': }, so a bad value reads
 * {@code Invalid value for option '--retries': 'x' is not a whole number}, not {@code 'x' is not an int}
 * or {@code For input string: "x"}. Ranges are checked by the commands, which know them.
 */
final class OptionValues {
    /** The longest duration accepted: longer would be a typo, and 0 already means no limit. */
    static final Duration MAX_DURATION = Duration.ofDays(1);
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)?");

    private OptionValues() {
    }

    /** An {@code int}: digits, optionally signed. */
    static final class WholeNumber implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return number(value, Integer::parseInt, "a whole number");
        }
    }

    /** A {@code long}: digits, optionally signed. */
    static final class LongNumber implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return number(value, Long::parseLong, "a whole number");
        }
    }

    /** A decimal number such as {@code 2} or {@code 0.5}. */
    static final class DecimalNumber implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            return number(value, Double::parseDouble, "a number (such as 2 or 0.5)");
        }
    }

    private static <T> T number(String value, Function<String, T> parser, String what) {
        try {
            return parser.apply(value.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not " + what);
        }
    }

    /** A TCP port, 0 to 65535. */
    static final class Port implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            try {
                int port = Integer.parseInt(value.strip());
                if (port >= 0 && port <= 65535) {
                    return port;
                }
            } catch (NumberFormatException e) {
                // the message below says what is expected
            }
            throw new TypeConversionException("'" + value + "' is not a port number (0 to 65535; 0 picks a free one)");
        }
    }

    /** A duration as {@link #duration} reads it. */
    static final class TimeSpan implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return duration(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /**
     * A duration as people type it: a number with a unit, {@code 500ms}, {@code 30s}, {@code 2m},
     * {@code 1h}, or a plain number of seconds ({@code 30}, {@code 1.5}); at most a day. {@code 0} is zero.
     *
     * @throws IllegalArgumentException naming the forms, for anything else
     */
    static Duration duration(String value) {
        Matcher m = DURATION.matcher(value.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + value + "' is not a duration (such as 500ms, 30s, 2m, 1h,"
                    + " or a number of seconds)");
        }
        String unit = m.group(2) == null ? "s" : m.group(2);
        long perUnit = unit.equals("ms") ? 1 : unit.equals("s") ? 1_000 : unit.equals("m") ? 60_000 : 3_600_000;
        BigDecimal millis = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(perUnit));
        if (millis.compareTo(BigDecimal.valueOf(MAX_DURATION.toMillis())) > 0) {
            throw new IllegalArgumentException("'" + value + "' is longer than a day (0 means no limit)");
        }
        if (millis.signum() > 0 && millis.compareTo(BigDecimal.ONE) < 0) {
            throw new IllegalArgumentException("'" + value + "' is shorter than a millisecond (0 means no limit)");
        }
        return Duration.ofNanos(millis.movePointRight(6).longValue());
    }

    /** A duration the way {@link #duration} reads it back: {@code 2m}, {@code 30s}, {@code 1.5s}, {@code 250ms}. */
    static String format(Duration d) {
        long millis = d.toMillis();
        if (millis >= 60_000 && millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        if (millis >= 1_000) {
            return BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString() + "s";
        }
        return millis + "ms";
    }
}
