using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Admin;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Features.Executions;

namespace WorkflowAdmin.Commands;

/// <summary>
/// Exports the executions list, as <c>GET /executions/export</c> writes it (<see cref="ListExportEndpoint"/>: the same
/// keyset batches and the same writer), into a stream that only counts bytes, and samples this process's memory
/// while it runs: rows/s, and whether memory stays flat however many rows go out. Run by <c>bench export</c>; the
/// figures go in docs/benchmarks.md. In-process rather than over HTTP so that the memory sampled is the exporter's
/// alone, with no client in the same runtime.
/// </summary>
public sealed class ExecutionExportBenchmark(IDbContextFactory<AppDbContext> dbFactory, ExecutionsAdmin admin, DatabaseOptions database)
{
    private static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(100);

    public async Task RunAsync(ExportFormat format, string query, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var state = ListState.FromUri("?" + query, admin);
        long total;
        await using (var counting = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            total = await admin.Filtered(counting, state).LongCountAsync(cancellationToken);
        }

        GC.Collect();
        using var process = Process.GetCurrentProcess();
        var before = Memory(process);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Export of the executions list on {database.Provider}: {total:N0} rows for '{state.ToQueryString()}', format {ExportFormats.Name(format)}, batches of {ListExportEndpoint.BatchSize:N0}, {Environment.ProcessorCount} cores."));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Before: working set {before.WorkingSet / 1e6:F0} MB, managed heap {before.Heap / 1e6:F0} MB."));

        var sink = new CountingStream();
        var samples = new List<(double Seconds, long Bytes, MemorySample Memory)>();
        using var done = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        var sampler = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                samples.Add((clock.Elapsed.TotalSeconds, sink.Written, Memory(process)));
                try
                {
                    await Task.Delay(SampleEvery, done.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }, CancellationToken.None);

        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            await (format == ExportFormat.Csv
                ? ListExportEndpoint.WriteCsvAsync(sink, admin, db, state, cancellationToken)
                : ListExportEndpoint.WriteJsonLinesAsync(sink, admin, db, state, cancellationToken));
        }

        var seconds = clock.Elapsed.TotalSeconds;
        await done.CancelAsync();
        await sampler;
        samples.Add((seconds, sink.Written, Memory(process)));

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Wrote {total:N0} rows, {sink.Written / 1e6:F1} MB in {seconds:F1} s: {total / seconds:N0} rows/s, {sink.Written / 1e6 / seconds:F1} MB/s."));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Peak during the export: working set {samples.Max(s => s.Memory.WorkingSet) / 1e6:F0} MB, managed heap {samples.Max(s => s.Memory.Heap) / 1e6:F0} MB (sampled every {SampleEvery.TotalMilliseconds:F0} ms)."));
        await output.WriteLineAsync("Through the export (memory flat means it does not grow with the rows written):");
        await output.WriteLineAsync("   done   seconds   MB written   working set MB   managed heap MB");
        var step = Math.Max(1, samples.Count / 10);
        for (var i = 0; i < samples.Count; i += step)
        {
            await WriteSampleAsync(output, samples[i], sink.Written);
        }

        await WriteSampleAsync(output, samples[^1], sink.Written);
    }

    private static Task WriteSampleAsync(TextWriter output, (double Seconds, long Bytes, MemorySample Memory) sample, long totalBytes) =>
        output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"  {100.0 * sample.Bytes / Math.Max(1, totalBytes),4:F0} %  {sample.Seconds,8:F1}  {sample.Bytes / 1e6,11:F1}  {sample.Memory.WorkingSet / 1e6,15:F0}  {sample.Memory.Heap / 1e6,16:F0}"));

    private static MemorySample Memory(Process process)
    {
        process.Refresh();
        return new MemorySample(process.WorkingSet64, GC.GetTotalMemory(forceFullCollection: false));
    }

    private readonly record struct MemorySample(long WorkingSet, long Heap);

    /// <summary>Where the file would go: counts the bytes and keeps none of them.</summary>
    private sealed class CountingStream : Stream
    {
        private long written;

        public long Written => Interlocked.Read(ref written);

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => Written;

        public override long Position
        {
            get => Written;
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Interlocked.Add(ref written, count);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Interlocked.Add(ref written, buffer.Length);
            return ValueTask.CompletedTask;
        }
    }
}
