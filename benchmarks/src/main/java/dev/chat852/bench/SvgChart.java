package dev.chat852.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * A small SVG chart, enough for {@link Plots}: lines over a numeric x axis (log or linear) with a whisker
 * per point, or bars over named categories. Every point carries its values as {@code data-x}/{@code data-y}
 * attributes and every series its name as {@code data-series}, so a test can read back what was drawn.
 * The output depends on the input only (no time, no randomness): the same JSON gives the same file.
 */
final class SvgChart {
    /** A value at {@code x}, with the whisker from {@code low} to {@code high} (NaN for none). */
    record Point(double x, double y, double low, double high) {
    }

    record Series(String name, List<Point> points) {
    }

    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#17becf", "#7f7f7f"};
    private static final int WIDTH = 760;
    private static final int HEIGHT = 460;
    private static final int LEFT = 84;
    private static final int RIGHT = 190;
    /** Space above the plot for the title; each line of the subtitle adds {@link #LINE}. */
    private static final int TITLE = 46;
    private static final int LINE = 14;
    private static final int SUBTITLE_CHARS = 110;
    private static final int BOTTOM = 56;

    private final String title;
    private final String subtitle;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private boolean logX;
    private boolean logY;
    private List<String> categories;

    SvgChart(String title, String subtitle, String xLabel, String yLabel) {
        this.title = title;
        this.subtitle = subtitle;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    SvgChart logX() {
        logX = true;
        return this;
    }

    /** A log y axis, where every value and whisker end is positive; otherwise the axis stays linear. */
    SvgChart logY() {
        logY = true;
        return this;
    }

    /** Bars instead of lines: x of each point is an index into {@code names}, one group of bars per name. */
    SvgChart categories(List<String> names) {
        categories = List.copyOf(names);
        return this;
    }

    SvgChart add(Series s) {
        series.add(s);
        return this;
    }

    String render() {
        List<Double> ys = new ArrayList<>();
        TreeSet<Double> xs = new TreeSet<>();
        for (Series s : series) {
            for (Point p : s.points()) {
                xs.add(p.x());
                ys.add(p.y());
                if (!Double.isNaN(p.low())) {
                    ys.add(p.low());
                    ys.add(p.high());
                }
            }
        }
        boolean bars = categories != null;
        boolean yLog = logY && !ys.isEmpty() && ys.stream().allMatch(v -> v > 0);
        Axis y = ys.isEmpty() ? new Axis(0, 1, false) : new Axis(bars ? 0 : min(ys), max(ys), yLog);
        Axis x = bars ? new Axis(-0.5, categories.size() - 0.5, false)
                : xs.isEmpty() ? new Axis(0, 1, false) : new Axis(xs.first(), xs.last(), logX);
        List<String> subtitleLines = wrap(subtitle, SUBTITLE_CHARS);
        int plotTop = TITLE + LINE * subtitleLines.size();
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - plotTop - BOTTOM;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
        text(svg, LEFT, 24, "start", 16, "bold", title);
        for (int i = 0; i < subtitleLines.size(); i++) {
            text(svg, LEFT, 42 + i * LINE, "start", 11, "normal", subtitleLines.get(i));
        }
        // grid and y ticks
        for (double t : y.ticks()) {
            double py = plotTop + plotH - y.at(t) * plotH;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
                    LEFT, py, LEFT + plotW, py));
            text(svg, LEFT - 6, py + 4, "end", 11, "normal", label(t));
        }
        if (bars) {
            for (int i = 0; i < categories.size(); i++) {
                text(svg, LEFT + x.at(i) * plotW, plotTop + plotH + 18, "middle", 11, "normal", categories.get(i));
            }
        } else {
            List<Double> xTicks = logX ? new ArrayList<>(xs) : x.ticks();
            for (double t : xTicks) {
                double px = LEFT + x.at(t) * plotW;
                svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>%n",
                        px, plotTop, px, plotTop + plotH));
                text(svg, px, plotTop + plotH + 18, "middle", 11, "normal", label(t));
            }
        }
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#333\"/>%n",
                LEFT, plotTop, plotW, plotH));
        text(svg, LEFT + plotW / 2.0, HEIGHT - 14, "middle", 12, "normal", xLabel);
        svg.append(String.format(Locale.ROOT, "<text x=\"18\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"12\""
                + " transform=\"rotate(-90 18 %.1f)\">%s</text>%n", plotTop + plotH / 2.0, plotTop + plotH / 2.0, escape(yLabel)));
        double barW = bars ? 0.8 / Math.max(1, series.size()) * plotW / categories.size() : 0;
        for (int si = 0; si < series.size(); si++) {
            Series s = series.get(si);
            String colour = COLOURS[si % COLOURS.length];
            svg.append("<g data-series=\"").append(escape(s.name())).append("\">\n");
            StringBuilder line = new StringBuilder();
            for (Point p : s.points()) {
                double px = LEFT + x.at(p.x()) * plotW + (bars ? (si - (series.size() - 1) / 2.0) * barW : 0);
                double py = plotTop + plotH - y.at(p.y()) * plotH;
                String data = String.format(Locale.ROOT, " data-x=\"%s\" data-y=\"%s\"", num(p.x()), num(p.y()));
                if (bars) {
                    double base = plotTop + plotH - y.at(y.low) * plotH;
                    svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"%s/>%n",
                            px - barW / 2, py, barW, base - py, colour, data));
                    double labelY = Double.isNaN(p.high()) ? py : Math.min(py, plotTop + plotH - y.at(p.high()) * plotH);
                    text(svg, px, labelY - 4, "middle", 10, "normal", String.format(Locale.ROOT, "%.3g", p.y()));
                } else {
                    svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"%s/>%n", px, py, colour, data));
                    line.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
                }
                if (!Double.isNaN(p.low())) {
                    svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>%n",
                            px, plotTop + plotH - y.at(p.low()) * plotH, px, plotTop + plotH - y.at(p.high()) * plotH,
                            bars ? "#000" : colour));
                }
            }
            if (line.length() > 0) {
                svg.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\"/>%n",
                        line.toString().trim(), colour));
            }
            double ly = plotTop + 10 + si * 18;
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"14\" height=\"4\" fill=\"%s\"/>%n",
                    LEFT + plotW + 12, ly - 4, colour));
            text(svg, LEFT + plotW + 32, ly + 1, "start", 11, "normal", s.name());
            svg.append("</g>\n");
        }
        return svg.append("</svg>\n").toString();
    }

    /** Splits {@code s} at spaces into lines of at most {@code width} characters (a longer word stays whole). */
    static List<String> wrap(String s, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : s.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.length() == 0 ? "" : " ").append(word);
        }
        lines.add(line.toString());
        return lines;
    }

    private static void text(StringBuilder svg, double x, double y, String anchor, int size, String weight, String s) {
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\" font-weight=\"%s\">%s</text>%n",
                x, y, anchor, size, weight, escape(s)));
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** A value as the data attributes carry it: as short as it reads back exactly. */
    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** A tick or bar label: thousands separated, at most three significant digits below 100. */
    private static String label(double v) {
        if (Math.abs(v) >= 100 || v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return String.format(Locale.ROOT, "%.3g", v).replaceAll("\\.?0+$", "");
    }

    private static double min(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    }

    private static double max(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).max().orElse(1);
    }

    /** Maps values to [0, 1] of the plot, with some room at the ends; ticks at 1-2-5 steps. */
    private static final class Axis {
        final double low;
        final double high;
        final boolean log;

        Axis(double min, double max, boolean log) {
            this.log = log;
            if (log) {
                double lo = Math.log10(min);
                double hi = Math.log10(max);
                double pad = Math.max(0.05, (hi - lo) * 0.05);
                low = Math.pow(10, lo - pad);
                high = Math.pow(10, hi + pad);
            } else {
                double span = max - min == 0 ? Math.max(1, Math.abs(max)) : max - min;
                low = min == 0 ? 0 : min - span * 0.05;
                high = max + span * 0.08;
            }
        }

        double at(double v) {
            return log ? (Math.log10(v) - Math.log10(low)) / (Math.log10(high) - Math.log10(low)) : (v - low) / (high - low);
        }

        List<Double> ticks() {
            List<Double> out = new ArrayList<>();
            if (log) {
                int decades = (int) Math.ceil(Math.log10(high) - Math.log10(low));
                double[] steps = decades <= 2 ? new double[] {1, 2, 5} : new double[] {1};
                for (int e = (int) Math.floor(Math.log10(low)); e <= (int) Math.ceil(Math.log10(high)); e++) {
                    for (double m : steps) {
                        double t = m * Math.pow(10, e);
                        if (t >= low && t <= high) {
                            out.add(t);
                        }
                    }
                }
                return out;
            }
            double raw = (high - low) / 6;
            double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
            double step = raw / magnitude < 1.5 ? magnitude : raw / magnitude < 3.5 ? 2 * magnitude : raw / magnitude < 7.5 ? 5 * magnitude : 10 * magnitude;
            for (double t = Math.ceil(low / step) * step; t <= high; t += step) {
                out.add(Math.abs(t) < step * 1e-9 ? 0 : t);
            }
            return out;
        }
    }
}
