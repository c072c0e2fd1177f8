using System.Globalization;
using System.Net;
using System.Text;

namespace EphysPipeline.Report.Html;

/// <summary>A line series: y per x, optional confidence band.</summary>
internal sealed record Series(string Name, string Colour, double[] Y, double[]? Low = null, double[]? High = null, bool Dashed = false);

/// <summary>One bar of a grouped bar chart: mean, CI, each subject's value and a significance mark.</summary>
internal sealed record Bar(string Drug, string Colour, double Mean, double Low, double High, IReadOnlyList<(string Subject, double Value)> Dots, string Mark);

/// <summary>Hand-written inline SVG (no scripts, no external resources) with axes, ticks and unit labels.</summary>
internal static class Svg
{
    /// <summary>Okabe–Ito, the colour-blind-safe palette; black first for the control.</summary>
    public static readonly string[] Palette = ["#000000", "#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#0072B2", "#D55E00", "#F0E442"];

    public const int Width = 460, Height = 306;
    private const int Left = 62, Right = 14, Top = 30, Bottom = 68;

    public static string F(double v)
    {
        var text = v.ToString("0.##", CultureInfo.InvariantCulture);
        return text == "-0" ? "0" : text;
    }

    public static string Esc(string s) => WebUtility.HtmlEncode(s);

    public static string LineChart(string title, string xLabel, string yLabel, double[] x, IReadOnlyList<Series> series,
        IReadOnlyList<(double From, double To, string Colour)>? spans = null, double? vertical = null)
    {
        var ys = series.SelectMany(s => s.Y.Concat(s.Low ?? []).Concat(s.High ?? [])).Where(double.IsFinite).ToList();
        var (y0, y1) = ys.Count > 0 ? (Math.Min(0, ys.Min()), Math.Max(0, ys.Max())) : (-1.0, 1.0);
        var xs = x.Where(double.IsFinite).ToList();
        var (x0, x1) = xs.Count > 0 ? (xs.Min(), xs.Max()) : (0.0, 1.0);
        var frame = new Frame(x0, x1, y0, y1);
        var sb = Open(title);
        frame.Axes(sb, xLabel, yLabel, numericX: true);
        frame.ZeroLine(sb);
        if (vertical is { } v && v >= frame.X0 && v <= frame.X1)
            sb.Append($"<line x1=\"{F(frame.Px(v))}\" x2=\"{F(frame.Px(v))}\" y1=\"{Top}\" y2=\"{Height - Bottom}\" stroke=\"#777\" stroke-dasharray=\"3 3\"/>");
        if (spans is not null)
            foreach (var (from, to, colour) in spans)
                sb.Append($"<rect x=\"{F(frame.Px(from))}\" y=\"{Height - Bottom - 6}\" width=\"{F(Math.Max(2, frame.Px(to) - frame.Px(from)))}\" height=\"5\" fill=\"{colour}\"><title>cluster {F(from)}–{F(to)} Hz</title></rect>");
        foreach (var s in series)
        {
            if (s.Low is not null && s.High is not null)
                foreach (var run in Runs(x, s.Low, s.High))
                {
                    var pts = run.Select(i => $"{F(frame.Px(x[i]))},{F(frame.Py(s.High[i]))}")
                        .Concat(run.AsEnumerable().Reverse().Select(i => $"{F(frame.Px(x[i]))},{F(frame.Py(s.Low[i]))}"));
                    sb.Append($"<polygon points=\"{string.Join(' ', pts)}\" fill=\"{s.Colour}\" fill-opacity=\"0.18\" stroke=\"none\"/>");
                }
            foreach (var run in Runs(x, s.Y, s.Y))
                sb.Append($"<polyline points=\"{string.Join(' ', run.Select(i => $"{F(frame.Px(x[i]))},{F(frame.Py(s.Y[i]))}"))}\" fill=\"none\" stroke=\"{s.Colour}\" stroke-width=\"1.8\"{(s.Dashed ? " stroke-dasharray=\"5 3\"" : "")}/>");
        }
        Legend(sb, series.Select(s => (s.Name, s.Colour)).ToList());
        return sb.Append("</svg>").ToString();
    }

    /// <param name="joinFrom">
    /// When a group's first bar is this drug (the control), a line joins each subject's value there to the same
    /// subject's value in every other bar: the paired view of a crossover design. Null: no lines.
    /// </param>
    public static string BarChart(string title, string yLabel, IReadOnlyList<(string Category, IReadOnlyList<Bar> Bars)> groups,
        IReadOnlyList<(string Name, string Colour)> legend, string? joinFrom = null)
    {
        var all = groups.SelectMany(g => g.Bars).SelectMany(b => b.Dots.Select(d => d.Value).Append(b.Low).Append(b.High).Append(b.Mean)).Where(double.IsFinite).ToList();
        var (y0, y1) = all.Count > 0 ? (Math.Min(0, all.Min()), Math.Max(0, all.Max())) : (-1.0, 1.0);
        var frame = new Frame(0, Math.Max(1, groups.Count), y0, y1 + 0.08 * (y1 - y0));
        var sb = Open(title);
        frame.Axes(sb, "", yLabel, numericX: false);
        frame.ZeroLine(sb);
        for (int g = 0; g < groups.Count; g++)
        {
            var (category, bars) = groups[g];
            double slot = 0.8 / Math.Max(1, bars.Count);
            // A subject keeps its horizontal offset in every bar, so the lines joining its values stay readable.
            var jitterIndex = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var bar in bars)
                foreach (var (subject, _) in bar.Dots) jitterIndex.TryAdd(subject, jitterIndex.Count);
            double DotX(int b, string subject) => g + 0.1 + b * slot + slot / 2 + (jitterIndex[subject] % 5 - 2) * slot * 0.08;
            if (joinFrom is not null && bars.Count > 1 && bars[0].Drug == joinFrom)
            {
                var first = bars[0].Dots.Where(d => double.IsFinite(d.Value)).GroupBy(d => d.Subject).ToDictionary(d => d.Key, d => d.First().Value);
                for (int b = 1; b < bars.Count; b++)
                    foreach (var (subject, value) in bars[b].Dots)
                        if (double.IsFinite(value) && first.TryGetValue(subject, out var reference))
                            sb.Append($"<line x1=\"{F(frame.Px(DotX(0, subject)))}\" y1=\"{F(frame.Py(reference))}\" x2=\"{F(frame.Px(DotX(b, subject)))}\" y2=\"{F(frame.Py(value))}\" stroke=\"#888\" stroke-width=\"0.7\" stroke-opacity=\"0.7\"><title>{Esc(subject)}: {Esc(bars[0].Drug)} {F(reference)} → {Esc(bars[b].Drug)} {F(value)}</title></line>");
            }
            for (int b = 0; b < bars.Count; b++)
            {
                var bar = bars[b];
                double left = g + 0.1 + b * slot, centre = left + slot / 2;
                if (double.IsFinite(bar.Mean))
                {
                    double yTop = frame.Py(Math.Max(0, bar.Mean)), yBottom = frame.Py(Math.Min(0, bar.Mean));
                    sb.Append($"<rect x=\"{F(frame.Px(left + slot * 0.1))}\" y=\"{F(yTop)}\" width=\"{F(frame.Px(slot * 0.8) - frame.Px(0))}\" height=\"{F(Math.Max(0.5, yBottom - yTop))}\" fill=\"{bar.Colour}\" fill-opacity=\"0.55\"><title>{Esc(bar.Drug)}: {F(bar.Mean)}</title></rect>");
                }
                if (double.IsFinite(bar.Low) && double.IsFinite(bar.High))
                    sb.Append($"<line x1=\"{F(frame.Px(centre))}\" x2=\"{F(frame.Px(centre))}\" y1=\"{F(frame.Py(bar.Low))}\" y2=\"{F(frame.Py(bar.High))}\" stroke=\"#222\" stroke-width=\"1.2\"/>");
                foreach (var (subject, value) in bar.Dots)
                {
                    if (!double.IsFinite(value)) continue;
                    sb.Append($"<circle cx=\"{F(frame.Px(DotX(b, subject)))}\" cy=\"{F(frame.Py(value))}\" r=\"2.6\" fill=\"{bar.Colour}\" stroke=\"#fff\" stroke-width=\"0.6\"/>");
                }
                if (bar.Mark.Length > 0)
                {
                    double top = new[] { bar.High, bar.Mean }.Concat(bar.Dots.Select(d => d.Value)).Where(double.IsFinite).DefaultIfEmpty(0).Max();
                    sb.Append($"<text x=\"{F(frame.Px(centre))}\" y=\"{F(frame.Py(top) - 5)}\" text-anchor=\"middle\" class=\"mark\">{Esc(bar.Mark)}</text>");
                }
            }
            sb.Append($"<text x=\"{F(frame.Px(g + 0.5))}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\" class=\"tick\">{Esc(category.Replace('_', ' '))}</text>");
        }
        Legend(sb, legend);
        return sb.Append("</svg>").ToString();
    }

    /// <summary>Rows × columns of values on a diverging blue–white–vermillion scale symmetric about 0.</summary>
    public static string Heatmap(string title, IReadOnlyList<string> rows, IReadOnlyList<string> columns, double[,] values, string unit, double max)
    {
        if (!(max > 0)) max = 1;
        int cellW = Math.Max(40, (Width - 110) / Math.Max(1, columns.Count)), cellH = Math.Min(40, (Height - 110) / Math.Max(1, rows.Count));
        var sb = Open(title);
        for (int r = 0; r < rows.Count; r++)
        {
            sb.Append($"<text x=\"100\" y=\"{40 + r * cellH + cellH / 2 + 4}\" text-anchor=\"end\" class=\"tick\">{Esc(rows[r])}</text>");
            for (int c = 0; c < columns.Count; c++)
            {
                double v = values[r, c];
                string fill = double.IsFinite(v) ? Diverging(v / max) : "#dddddd";
                sb.Append($"<rect x=\"{106 + c * cellW}\" y=\"{40 + r * cellH}\" width=\"{cellW - 2}\" height=\"{cellH - 2}\" fill=\"{fill}\"><title>{Esc(rows[r])}, {Esc(columns[c])}: {F(v)}</title></rect>");
                if (double.IsFinite(v))
                    sb.Append($"<text x=\"{106 + c * cellW + cellW / 2 - 1}\" y=\"{40 + r * cellH + cellH / 2 + 3}\" text-anchor=\"middle\" class=\"cell\">{v.ToString("0.000", CultureInfo.InvariantCulture)}</text>");
            }
        }
        for (int c = 0; c < columns.Count; c++)
            sb.Append($"<text x=\"{106 + c * cellW + cellW / 2}\" y=\"{40 + rows.Count * cellH + 14}\" text-anchor=\"middle\" class=\"tick\">{Esc(columns[c])}</text>");
        int legendY = 40 + rows.Count * cellH + 30;
        for (int i = 0; i <= 20; i++)
            sb.Append($"<rect x=\"{106 + i * 8}\" y=\"{legendY}\" width=\"8\" height=\"10\" fill=\"{Diverging(i / 10.0 - 1)}\"/>");
        sb.Append($"<text x=\"102\" y=\"{legendY + 9}\" text-anchor=\"end\" class=\"tick\">{F(-max)}</text>");
        sb.Append($"<text x=\"{106 + 21 * 8 + 4}\" y=\"{legendY + 9}\" class=\"tick\">{F(max)} {Esc(unit)}</text>");
        return sb.Append("</svg>").ToString();
    }

    private static string Diverging(double t)
    {
        t = Math.Clamp(t, -1, 1);
        var (r, g, b) = t < 0 ? (0x00, 0x72, 0xB2) : (0xD5, 0x5E, 0x00);
        double a = Math.Abs(t);
        int Mix(int c) => (int)Math.Round(255 + (c - 255) * a);
        return $"#{Mix(r):x2}{Mix(g):x2}{Mix(b):x2}";
    }

    private static StringBuilder Open(string title) =>
        new StringBuilder().Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" role=\"img\"><title>{Esc(title)}</title>")
            .Append($"<text x=\"{Width / 2}\" y=\"16\" text-anchor=\"middle\" class=\"title\">{Esc(title)}</text>");

    private static void Legend(StringBuilder sb, IReadOnlyList<(string Name, string Colour)> items)
    {
        // Two rows at most under the x label; an entry that would cross the right edge starts the next row.
        double x = Left;
        int y = Height - 21;
        foreach (var (name, colour) in items)
        {
            double width = 28 + 7 * name.Length;
            if (x + width > Width - Right && x > Left) { x = Left; y += 14; }
            sb.Append($"<rect x=\"{F(x)}\" y=\"{y - 9}\" width=\"10\" height=\"10\" fill=\"{colour}\"/>");
            sb.Append($"<text x=\"{F(x + 13)}\" y=\"{y}\" class=\"tick\">{Esc(name)}</text>");
            x += width;
        }
    }

    /// <summary>Index runs where both arrays are finite (gaps break lines instead of drawing across them).</summary>
    private static IEnumerable<int[]> Runs(double[] x, double[] a, double[] b)
    {
        var run = new List<int>();
        for (int i = 0; i < x.Length && i < a.Length; i++)
        {
            if (double.IsFinite(x[i]) && double.IsFinite(a[i]) && double.IsFinite(b[i])) run.Add(i);
            else if (run.Count > 0) { yield return run.ToArray(); run.Clear(); }
        }
        if (run.Count > 0) yield return run.ToArray();
    }

    private sealed class Frame
    {
        public Frame(double x0, double x1, double y0, double y1)
        {
            if (x1 <= x0) x1 = x0 + 1;
            if (y1 <= y0) { y0 -= 1; y1 += 1; }
            (X0, X1) = (x0, x1);
            YTicks = Ticks(y0, y1);
            (Y0, Y1) = (Math.Min(y0, YTicks[0]), Math.Max(y1, YTicks[^1]));
        }

        public double X0 { get; }
        public double X1 { get; }
        public double Y0 { get; }
        public double Y1 { get; }
        private double[] YTicks { get; }

        public double Px(double x) => Left + (x - X0) / (X1 - X0) * (Width - Left - Right);
        public double Py(double y) => Top + (Y1 - y) / (Y1 - Y0) * (Height - Top - Bottom);

        public void Axes(StringBuilder sb, string xLabel, string yLabel, bool numericX)
        {
            int bottom = Height - Bottom;
            sb.Append($"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{bottom}\" y2=\"{bottom}\" class=\"axis\"/>");
            sb.Append($"<line x1=\"{Left}\" x2=\"{Left}\" y1=\"{Top}\" y2=\"{bottom}\" class=\"axis\"/>");
            foreach (var t in YTicks)
            {
                sb.Append($"<line x1=\"{Left - 4}\" x2=\"{Left}\" y1=\"{F(Py(t))}\" y2=\"{F(Py(t))}\" class=\"axis\"/>");
                sb.Append($"<text x=\"{Left - 6}\" y=\"{F(Py(t) + 4)}\" text-anchor=\"end\" class=\"tick\">{F(t)}</text>");
            }
            if (numericX)
                foreach (var t in Ticks(X0, X1).Where(t => t >= X0 && t <= X1))
                {
                    sb.Append($"<line x1=\"{F(Px(t))}\" x2=\"{F(Px(t))}\" y1=\"{bottom}\" y2=\"{bottom + 4}\" class=\"axis\"/>");
                    sb.Append($"<text x=\"{F(Px(t))}\" y=\"{bottom + 16}\" text-anchor=\"middle\" class=\"tick\">{F(t)}</text>");
                }
            if (xLabel.Length > 0)
                sb.Append($"<text x=\"{(Left + Width - Right) / 2}\" y=\"{bottom + 32}\" text-anchor=\"middle\" class=\"label\">{Esc(xLabel)}</text>");
            sb.Append($"<text transform=\"translate(14 {(Top + bottom) / 2}) rotate(-90)\" text-anchor=\"middle\" class=\"label\">{Esc(yLabel)}</text>");
        }

        public void ZeroLine(StringBuilder sb)
        {
            if (Y0 < 0 && Y1 > 0)
                sb.Append($"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{F(Py(0))}\" y2=\"{F(Py(0))}\" stroke=\"#999\" stroke-width=\"0.8\"/>");
        }

        private static double[] Ticks(double lo, double hi)
        {
            double span = hi - lo, raw = span / 5, mag = Math.Pow(10, Math.Floor(Math.Log10(raw)));
            double step = new[] { 1, 2, 2.5, 5, 10 }.Select(m => m * mag).First(s => s >= raw);
            double start = Math.Floor(lo / step) * step, end = Math.Ceiling(hi / step) * step;
            var ticks = new List<double>();
            for (double t = start; t <= end + step * 1e-9; t += step) ticks.Add(Math.Round(t / step) * step);
            return ticks.ToArray();
        }
    }
}
