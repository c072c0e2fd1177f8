using System.Globalization;
using System.Text;
using EphysPipeline.Native.Hdf5;

namespace EphysPipeline.Report.Tests;

/// <summary>
/// A small study output folder written in the documented format (docs/outputs.md): saline, ketamine and psilocybin,
/// 6 subjects each, 2 PFC + 2 HPC channels, epochs baseline and post. Known effects: ketamine multiplies high-gamma
/// (65–100 Hz) power by 2.5 in every channel (+3.98 dB), raises PFC–HPC theta PLV by 0.1 and unit firing rates ×1.5;
/// psilocybin raises permutation entropy by 0.05. Everything else is noise around no change. Between-subject by
/// default (each drug its own subjects); <c>withinSubject</c> gives every subject every drug, one session each, with a
/// stable per-subject offset on the permutation-entropy change so pairing matters.
/// </summary>
internal static class SyntheticStudy
{
    public static readonly string[] Drugs = ["saline", "ketamine", "psilocybin"];
    public const double KetamineGain = 2.5;

    public static void Write(string folder, int subjectsPerDrug = 6, bool withNaN = false, bool withinSubject = false)
    {
        var rng = new Random(7);
        var metrics = new StringBuilder("session,subject,drug,dose_mg_kg,epoch,channel,region,metric,band,value,n_windows,status\n");
        var pairs = new StringBuilder("session,subject,drug,epoch,band,measure,channel_a,channel_b,region_a,region_b,value\n");
        var units = new StringBuilder("session,subject,drug,epoch,unit,channel,region,band,n_spikes,firing_rate_hz,plv,ppc,rayleigh_z,rayleigh_p,preferred_phase_rad,status\n");
        var sessionsCsv = new StringBuilder("session,subject,drug,dose_mg_kg,status,stage,reason,duration_s,sample_rate_hz,channels,good_channels,bad_channels,epoch,epoch_start_s,epoch_end_s,rejected_fraction\n");
        var bands = new (string Name, double Low, double High)[] { ("theta", 6, 10), ("beta", 15, 30), ("high_gamma", 65, 100) };
        string[] regions = ["PFC", "PFC", "HPC", "HPC"];
        var freqs = Enumerable.Range(0, 201).Select(i => (double)i).ToArray();
        var times = Enumerable.Range(0, 31).Select(i => -600.0 + 60 * i).ToArray();
        var sgFreqs = Enumerable.Range(0, 81).Select(i => 2.0 * i).ToArray();
        using var h5 = Hdf5File.Create(Path.Combine(folder, "spectra.h5"));
        foreach (var drug in Drugs)
            for (int s = 0; s < subjectsPerDrug; s++)
            {
                string subject = withinSubject ? $"m{s + 1:00}" : $"{drug[..3]}{s + 1:00}";
                string session = withinSubject ? $"{subject}_{drug}" : $"{subject}_s1";
                // A subject's post-epoch offset (same for every drug): large between subjects, cancelled by pairing.
                double offset = withinSubject ? 0.08 * (s - (subjectsPerDrug - 1) / 2.0) : 0;
                foreach (var epoch in new[] { "baseline", "post" })
                    sessionsCsv.Append($"{session},{subject},{drug},1,ok,,,3600,1000,4,4,,{epoch},{(epoch == "baseline" ? -1800 : 600)},{(epoch == "baseline" ? 0 : 2400)},0.01\n");
                using var group = h5.CreateGroup(session);
                var gains = new double[4];
                for (int c = 0; c < 4; c++) gains[c] = Math.Exp(rng.NextDouble() - 0.5);
                foreach (var epoch in new[] { "baseline", "post" })
                {
                    bool post = epoch == "post";
                    var power = new double[4 * freqs.Length];
                    for (int c = 0; c < 4; c++)
                        for (int f = 0; f < freqs.Length; f++)
                            power[c * freqs.Length + f] = Psd(freqs[f], gains[c], post && drug == "ketamine") * Math.Exp(0.15 * Normal(rng));
                    using var psd = group.CreateGroup("psd_" + epoch);
                    psd.WriteDataset<double>("power", power, [4, freqs.Length]);
                    psd.WriteDataset<double>("frequency", freqs);
                    psd.WriteDataset<long>("channel", new long[] { 0, 1, 2, 3 });
                    psd.WriteStrings("region", regions);
                    for (int c = 0; c < 4; c++)
                    {
                        foreach (var (name, low, high) in bands)
                        {
                            double bp = 0;
                            for (int f = 0; f + 1 < freqs.Length; f++)
                                if (freqs[f] >= low && freqs[f + 1] <= high)
                                    bp += 0.5 * (power[c * freqs.Length + f] + power[c * freqs.Length + f + 1]);
                            string value = withNaN && drug == "psilocybin" && s == 0 && c == 0 && name == "beta" && post ? "NaN" : Num(bp);
                            metrics.Append($"{session},{subject},{drug},1,{epoch},{c},{regions[c]},band_power,{name},{value},100,ok\n");
                            metrics.Append($"{session},{subject},{drug},1,{epoch},{c},{regions[c]},band_power_db,{name},{Num(10 * Math.Log10(bp))},100,ok\n");
                        }
                        double pe = 0.9 + 0.02 * Normal(rng) + (post && drug == "psilocybin" ? 0.05 : 0) + (post ? offset : 0);
                        metrics.Append($"{session},{subject},{drug},1,{epoch},{c},{regions[c]},perm_entropy,,{Num(pe)},40,ok\n");
                        metrics.Append($"{session},{subject},{drug},1,{epoch},{c},{regions[c]},sample_entropy,,{Num(1.2 + 0.1 * Normal(rng))},40,ok\n");
                        metrics.Append($"{session},{subject},{drug},1,{epoch},{c},{regions[c]},lz_complexity,,{Num(0.8 + 0.03 * Normal(rng))},40,ok\n");
                        metrics.Append($"{session},{subject},{drug},1,{epoch},{c},{regions[c]},peak_frequency_hz,peak1,{Num(8 + Normal(rng))},40,ok\n");
                    }
                    for (int a = 0; a < 4; a++)
                        for (int b = a + 1; b < 4; b++)
                            foreach (var band in new[] { "theta", "high_gamma" })
                            {
                                bool cross = regions[a] != regions[b];
                                double plv = 0.4 + 0.03 * Normal(rng) + (post && drug == "ketamine" && cross && band == "theta" ? 0.1 : 0);
                                pairs.Append($"{session},{subject},{drug},{epoch},{band},plv,{a},{b},{regions[a]},{regions[b]},{Num(plv)}\n");
                                pairs.Append($"{session},{subject},{drug},{epoch},{band},wpli,{a},{b},{regions[a]},{regions[b]},{Num(0.2 + 0.03 * Normal(rng))}\n");
                            }
                    for (int u = 0; u < 3; u++)
                    {
                        double rate = (5 + u) * (post && drug == "ketamine" ? 1.5 : 1) * Math.Exp(0.05 * Normal(rng));
                        foreach (var band in new[] { "theta", "high_gamma" })
                            units.Append($"{session},{subject},{drug},{epoch},{u},{u},{regions[u]},{band},500,{Num(rate)},{Num(0.1 + 0.02 * Normal(rng))},{Num(0.01 + 0.005 * Normal(rng))},3,0.05,1.2,ok\n");
                    }
                }
                var sg = new double[4 * times.Length * sgFreqs.Length];
                for (int c = 0; c < 4; c++)
                    for (int t = 0; t < times.Length; t++)
                        for (int f = 0; f < sgFreqs.Length; f++)
                            sg[(c * times.Length + t) * sgFreqs.Length + f] =
                                Psd(sgFreqs[f], gains[c], times[t] > 0 && drug == "ketamine") * Math.Exp(0.1 * Normal(rng));
                using var spectrogram = group.CreateGroup("spectrogram");
                spectrogram.WriteDataset<double>("power", sg, [4, times.Length, sgFreqs.Length]);
                spectrogram.WriteDataset<double>("time", times);
                spectrogram.WriteDataset<double>("frequency", sgFreqs);
                spectrogram.WriteDataset<long>("channel", new long[] { 0, 1, 2, 3 });
                spectrogram.WriteStrings("region", regions);
            }
        File.WriteAllText(Path.Combine(folder, "metrics.csv"), metrics.ToString());
        File.WriteAllText(Path.Combine(folder, "pairs.csv"), pairs.ToString());
        File.WriteAllText(Path.Combine(folder, "units.csv"), units.ToString());
        File.WriteAllText(Path.Combine(folder, "sessions.csv"), sessionsCsv.ToString());
        File.WriteAllText(Path.Combine(folder, "provenance.json"), """
            {"software":{"name":"EphysPipeline","version":"0.1.0"},"study":"synthetic","config_sha256":"abc123def4567890",
             "config":{"spectral":{"bands":{"theta":[6,10],"beta":[15,30],"high_gamma":[65,100]}}},
             "epochs":[{"Name":"baseline","Start":-1800,"End":0},{"Name":"post","Start":600,"End":2400}],
             "reference_epoch":"baseline","control":"saline","started_utc":"2026-01-01T00:00:00Z"}
            """);
    }

    private static double Psd(double f, double gain, bool boosted) =>
        gain * 1e-10 / (1 + f) * (boosted && f >= 65 && f <= 100 ? KetamineGain : 1.0);

    private static double Normal(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    private static string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
