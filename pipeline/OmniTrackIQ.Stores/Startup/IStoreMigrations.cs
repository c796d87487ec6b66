namespace OmniTrackIQ.Pipeline.Startup;

/// <summary>
/// A store's one start-up step: brings its schema to the newest version (every statement idempotent, so running it
/// again, or on two nodes at once, is safe). On success it marks the store's <see cref="StoreReadiness"/> ready; it
/// throws when the store cannot be reached, and the caller decides whether to retry (the host, in the background) or
/// give up (a CLI verb).
/// </summary>
public interface IStoreMigrations
{
    Task MigrateAsync(CancellationToken cancellationToken);
}
