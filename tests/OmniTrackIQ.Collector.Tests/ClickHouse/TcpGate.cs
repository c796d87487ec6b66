using System.Net;
using System.Net.Sockets;

namespace OmniTrackIQ.Collector.Tests.ClickHouse;

/// <summary>
/// A loopback TCP forwarder in front of the ClickHouse server, so a test can take "the store" away and give it back
/// while the server and its data stay: closed, nothing listens on the port (connection refused) and every open
/// connection is reset, as when the server stops; open, connections reach the server again.
/// </summary>
internal sealed class TcpGate(int upstreamPort) : IDisposable
{
    private readonly object _lock = new();
    private readonly List<TcpClient> _connections = [];
    private TcpListener? _listener;

    public int Port { get; } = FreePort();

    public void Open()
    {
        lock (_lock)
        {
            if (_listener is not null) { return; }
            var listener = new TcpListener(IPAddress.Loopback, Port);
            listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Start();
            _listener = listener;
            _ = AcceptAsync(listener);
        }
    }

    public void Close()
    {
        lock (_lock)
        {
            _listener?.Stop();
            _listener = null;
            foreach (var connection in _connections)
            {
                try
                {
                    if (connection.Client is { } socket) { socket.LingerState = new LingerOption(true, 0); } // reset, not a clean close
                }
                catch (Exception ex) when (ex is ObjectDisposedException or SocketException)
                {
                    // already gone
                }

                connection.Dispose();
            }

            _connections.Clear();
        }
    }

    private async Task AcceptAsync(TcpListener listener)
    {
        while (true)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(); }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or InvalidOperationException) { return; }
            _ = ForwardAsync(client);
        }
    }

    private async Task ForwardAsync(TcpClient client)
    {
        var upstream = new TcpClient();
        lock (_lock)
        {
            if (_listener is null) { client.Dispose(); upstream.Dispose(); return; }
            _connections.Add(client);
            _connections.Add(upstream);
        }

        try
        {
            await upstream.ConnectAsync(IPAddress.Loopback, upstreamPort);
            using var down = client.GetStream();
            using var up = upstream.GetStream();
            await Task.WhenAny(down.CopyToAsync(up), up.CopyToAsync(down));
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            client.Dispose();
            upstream.Dispose();
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public void Dispose() => Close();
}
