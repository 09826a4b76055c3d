package id.go.pdn.hub.files;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.ftpserver.DataConnectionConfigurationFactory;
import org.apache.ftpserver.FtpServer;
import org.apache.ftpserver.FtpServerFactory;
import org.apache.ftpserver.filesystem.nativefs.NativeFileSystemFactory;
import org.apache.ftpserver.ftplet.Authority;
import org.apache.ftpserver.ftplet.DefaultFtplet;
import org.apache.ftpserver.ftplet.FileSystemView;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.FtpFile;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.ftplet.FtpSession;
import org.apache.ftpserver.ftplet.FtpletResult;
import org.apache.ftpserver.listener.Listener;
import org.apache.ftpserver.listener.ListenerFactory;
import org.apache.ftpserver.ssl.SslConfigurationFactory;
import org.apache.ftpserver.usermanager.PropertiesUserManagerFactory;
import org.apache.ftpserver.usermanager.impl.BaseUser;
import org.apache.ftpserver.usermanager.impl.WritePermission;

/**
 * An Apache FtpServer on a free loopback port serving one folder as "/", for the fast FTP source tests: plain FTP, or
 * FTPS (explicit or implicit) with a key store; it records the commands it gets (to see MLSD, PROT P, REST) and can
 * cut a download once after a number of bytes (the server's read fails, the transfer ends with an error reply).
 */
final class EmbeddedFtpServer implements AutoCloseable {

    private final FtpServer server;
    private final Listener listener;
    private final Path root;
    final List<String> commands = new CopyOnWriteArrayList<>();
    private final AtomicInteger cutsLeft = new AtomicInteger();
    private volatile long cutAfter = Long.MAX_VALUE;

    private EmbeddedFtpServer(Path root, String user, String password, Path keystore, String keystorePassword, boolean implicit)
            throws IOException, FtpException {
        this.root = root;
        Files.createDirectories(root);
        FtpServerFactory factory = new FtpServerFactory();
        ListenerFactory listenerFactory = new ListenerFactory();
        listenerFactory.setServerAddress("127.0.0.1");
        listenerFactory.setPort(0);
        DataConnectionConfigurationFactory data = new DataConnectionConfigurationFactory();
        data.setPassiveAddress("127.0.0.1");
        data.setPassiveExternalAddress("127.0.0.1");
        if (keystore != null) {
            SslConfigurationFactory ssl = new SslConfigurationFactory();
            ssl.setKeystoreFile(keystore.toFile());
            ssl.setKeystorePassword(keystorePassword);
            ssl.setKeystoreType("PKCS12");
            listenerFactory.setSslConfiguration(ssl.createSslConfiguration());
            listenerFactory.setImplicitSsl(implicit);
            data.setImplicitSsl(implicit);
        }
        listenerFactory.setDataConnectionConfiguration(data.createDataConnectionConfiguration());
        listener = listenerFactory.createListener();
        factory.addListener("default", listener);
        var users = new PropertiesUserManagerFactory().createUserManager();
        BaseUser account = new BaseUser();
        account.setName(user);
        account.setPassword(password);
        account.setHomeDirectory(root.toAbsolutePath().toString());
        account.setAuthorities(List.<Authority>of(new WritePermission()));
        users.save(account);
        factory.setUserManager(users);
        NativeFileSystemFactory nativeFs = new NativeFileSystemFactory();
        factory.setFileSystem(u -> new CuttingView(nativeFs.createFileSystemView(u)));
        factory.setFtplets(new java.util.HashMap<>(Map.of("recorder", new DefaultFtplet() {
            @Override
            public FtpletResult beforeCommand(FtpSession session, FtpRequest request) throws FtpException, IOException {
                commands.add(request.getCommand().equals("PASS") ? "PASS ***" : request.getRequestLine());
                return super.beforeCommand(session, request);
            }
        })));
        server = factory.createServer();
        server.start();
    }

    static EmbeddedFtpServer plain(Path root, String user, String password) throws Exception {
        return new EmbeddedFtpServer(root, user, password, null, null, false);
    }

    static EmbeddedFtpServer tls(Path root, String user, String password, Path keystore, String keystorePassword, boolean implicit)
            throws Exception {
        return new EmbeddedFtpServer(root, user, password, keystore, keystorePassword, implicit);
    }

    int port() {
        return listener.getPort();
    }

    Path root() {
        return root;
    }

    /** The next {@code cuts} downloads fail once they have read {@code bytes} of their file. */
    void cutDownloads(long bytes, int cuts) {
        cutAfter = bytes;
        cutsLeft.set(cuts);
    }

    int cutsLeft() {
        return cutsLeft.get();
    }

    @Override
    public void close() {
        server.stop();
    }

    /** The native file system, whose files' streams may fail part way (see {@link #cutDownloads}). */
    private final class CuttingView implements FileSystemView {
        private final FileSystemView view;

        CuttingView(FileSystemView view) {
            this.view = view;
        }

        @Override public FtpFile getHomeDirectory() throws FtpException { return view.getHomeDirectory(); }
        @Override public FtpFile getWorkingDirectory() throws FtpException { return view.getWorkingDirectory(); }
        @Override public boolean changeWorkingDirectory(String dir) throws FtpException { return view.changeWorkingDirectory(dir); }
        @Override public boolean isRandomAccessible() throws FtpException { return view.isRandomAccessible(); }
        @Override public void dispose() { view.dispose(); }

        @Override
        public FtpFile getFile(String file) throws FtpException {
            FtpFile f = view.getFile(file);
            return new FtpFile() {
                @Override public String getAbsolutePath() { return f.getAbsolutePath(); }
                @Override public String getName() { return f.getName(); }
                @Override public boolean isHidden() { return f.isHidden(); }
                @Override public boolean isDirectory() { return f.isDirectory(); }
                @Override public boolean isFile() { return f.isFile(); }
                @Override public boolean doesExist() { return f.doesExist(); }
                @Override public boolean isReadable() { return f.isReadable(); }
                @Override public boolean isWritable() { return f.isWritable(); }
                @Override public boolean isRemovable() { return f.isRemovable(); }
                @Override public String getOwnerName() { return f.getOwnerName(); }
                @Override public String getGroupName() { return f.getGroupName(); }
                @Override public int getLinkCount() { return f.getLinkCount(); }
                @Override public long getLastModified() { return f.getLastModified(); }
                @Override public boolean setLastModified(long time) { return f.setLastModified(time); }
                @Override public long getSize() { return f.getSize(); }
                @Override public Object getPhysicalFile() { return f.getPhysicalFile(); }
                @Override public boolean mkdir() { return f.mkdir(); }
                @Override public boolean delete() { return f.delete(); }
                @Override public boolean move(FtpFile destination) { return f.move(destination); }
                @Override public List<? extends FtpFile> listFiles() { return f.listFiles(); }
                @Override public OutputStream createOutputStream(long offset) throws IOException { return f.createOutputStream(offset); }

                @Override
                public InputStream createInputStream(long offset) throws IOException {
                    InputStream in = f.createInputStream(offset);
                    long limit = cutAfter;
                    if (cutsLeft.get() <= 0 || f.getSize() <= limit || offset >= limit) {
                        return in;
                    }
                    return new FilterInputStream(in) {
                        private long position = offset;

                        @Override
                        public int read(byte[] b, int off, int len) throws IOException {
                            if (position >= limit && cutsLeft.getAndDecrement() > 0) {
                                throw new IOException("cut by the test after " + limit + " bytes");
                            }
                            int n = super.read(b, off, (int) Math.max(1, Math.min(len, limit > position ? limit - position : len)));
                            if (n > 0) {
                                position += n;
                            }
                            return n;
                        }
                    };
                }
            };
        }
    }
}
