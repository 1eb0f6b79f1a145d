namespace Capture.Testing;

/// <summary>Waits for something asynchronous (a message to arrive, a row to change) without a fixed sleep.</summary>
public static class Eventually
{
    public static async Task<T> GetAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? timeout = null, string? what = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what ?? "a condition"}; last value: {value}");
            }

            await Task.Delay(100);
        }
    }

    public static Task TrueAsync(Func<Task<bool>> condition, TimeSpan? timeout = null, string? what = null) =>
        GetAsync(condition, v => v, timeout, what);

    public static Task TrueAsync(Func<bool> condition, TimeSpan? timeout = null, string? what = null) =>
        GetAsync(() => Task.FromResult(condition()), v => v, timeout, what);
}
