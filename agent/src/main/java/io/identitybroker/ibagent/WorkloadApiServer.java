package io.identitybroker.ibagent;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The Workload API on a unix domain socket (Linux epoll). The socket is bound inside a private
 * 0700 directory, given its mode (0600, or 0660 with a group) and only then renamed to its path,
 * so no other user can ever connect through a window of wider permissions.
 * Failure: {@link #start} throws if the socket cannot be bound (path in use by a live agent, no epoll).
 */
public final class WorkloadApiServer implements AutoCloseable {
    private final Path socket;
    private final Server server;
    private final EventLoopGroup loop;
    private final ExecutorService executor;

    private WorkloadApiServer(Path socket, Server server, EventLoopGroup loop, ExecutorService executor) {
        this.socket = socket;
        this.server = server;
        this.loop = loop;
        this.executor = executor;
    }

    public static WorkloadApiServer start(Path socket, String group, WorkloadApiService service) throws IOException {
        if (!Epoll.isAvailable()) {
            throw new IOException("the Workload API socket needs Linux epoll: " + Epoll.unavailabilityCause());
        }
        Path parent = socket.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Files.deleteIfExists(socket); // a stale socket of a previous run (the directory lock excludes a live one)
        Path privateDir = parent.resolve(".ib-agent-bind-" + UUID.randomUUID());
        Files.createDirectory(privateDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path bound = privateDir.resolve("s");
        EventLoopGroup loop = new EpollEventLoopGroup(1, daemonThreads("ib-agent-grpc-io"));
        ExecutorService executor = Executors.newFixedThreadPool(2, daemonThreads("ib-agent-grpc"));
        Server server = NettyServerBuilder.forAddress(new DomainSocketAddress(bound.toString()))
                .channelType(EpollServerDomainSocketChannel.class)
                .bossEventLoopGroup(loop).workerEventLoopGroup(loop).executor(executor)
                .addService(ServerInterceptors.intercept(service, WorkloadApiService.securityHeader()))
                .build();
        try {
            server.start();
            if (group != null && !group.isBlank()) {
                GroupPrincipal g = bound.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(group);
                Files.getFileAttributeView(bound, java.nio.file.attribute.PosixFileAttributeView.class).setGroup(g);
                Files.setPosixFilePermissions(bound, PosixFilePermissions.fromString("rw-rw----"));
            } else {
                Files.setPosixFilePermissions(bound, PosixFilePermissions.fromString("rw-------"));
            }
            AtomicFiles.move(bound, socket);
        } catch (IOException | RuntimeException e) {
            server.shutdownNow();
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            executor.shutdownNow();
            throw e instanceof IOException io ? io : new IOException("cannot serve the Workload API on " + socket, e);
        } finally {
            Files.deleteIfExists(privateDir);
        }
        return new WorkloadApiServer(socket, server, loop, executor);
    }

    public Path socket() {
        return socket;
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        executor.shutdownNow();
        try {
            Files.deleteIfExists(socket);
        } catch (IOException ignored) {
            // best effort
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
