package id.go.pdn.hub.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.GeneralSecurityException;
import java.util.List;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * An SFTP server in the hub's JVM (Apache MINA SSHD) on a free loopback port, serving one folder as "/": the demo's
 * servers and the fast tests' server. Password login for one user; a fresh host key each start, which
 * {@link #appendKnownHost} writes to a known_hosts file so that the hub checks it as it would a real server's.
 */
public final class EmbeddedSftpServer implements AutoCloseable {

    private final SshServer server;
    private final KeyPair hostKey;
    private final Path root;
    private final SftpSubsystemFactory sftp;

    private EmbeddedSftpServer(SshServer server, KeyPair hostKey, Path root, SftpSubsystemFactory sftp) {
        this.server = server;
        this.hostKey = hostKey;
        this.root = root;
        this.sftp = sftp;
    }

    public static EmbeddedSftpServer start(Path root, String user, String password) throws IOException {
        Files.createDirectories(root);
        KeyPair hostKey;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
            hostKey = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        SshServer server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        server.setPasswordAuthenticator((u, p, session) -> user.equals(u) && password.equals(p));
        server.setFileSystemFactory(new VirtualFileSystemFactory(root.toAbsolutePath()));
        SftpSubsystemFactory sftp = new SftpSubsystemFactory.Builder().build();
        server.setSubsystemFactories(List.of(sftp));
        server.start();
        return new EmbeddedSftpServer(server, hostKey, root, sftp);
    }

    public int port() {
        return server.getPort();
    }

    public Path root() {
        return root;
    }

    /** Sees the SFTP requests the server carries out (the tests count what a copy asked for). */
    public void addListener(org.apache.sshd.sftp.server.SftpEventListener listener) {
        sftp.addSftpEventListener(listener);
    }

    /** Adds this server's host key for 127.0.0.1 and its port to a known_hosts file. */
    public Path appendKnownHost(Path knownHosts) throws IOException {
        Files.createDirectories(knownHosts.toAbsolutePath().getParent());
        Files.writeString(knownHosts, "[127.0.0.1]:" + port() + " " + PublicKeyEntry.toString(hostKey.getPublic()) + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return knownHosts;
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
    }
}
