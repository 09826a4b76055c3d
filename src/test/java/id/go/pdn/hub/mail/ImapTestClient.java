package id.go.pdn.hub.mail;

import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.UIDFolder;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.eclipse.angus.mail.iap.Literal;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPMessage;
import org.eclipse.angus.mail.imap.IMAPStore;

/**
 * Seeds and reads an IMAP account for tests, independently of the hub's code: APPEND of raw bytes through the
 * protocol layer, and a snapshot of every folder (bytes, flags, internal dates) read with BODY.PEEK[].
 */
public final class ImapTestClient implements AutoCloseable {

    /** One message as a server holds it. */
    public record Stored(long uid, byte[] bytes, Flags flags, Date internalDate) {
        /** Flags without \Recent, as text in a stable order, e.g. "\Flagged \Seen $Label1". */
        public String flagText() {
            List<String> names = new ArrayList<>();
            for (Flags.Flag f : flags.getSystemFlags()) {
                if (f != Flags.Flag.RECENT) {
                    names.add(f == Flags.Flag.SEEN ? "\\Seen" : f == Flags.Flag.FLAGGED ? "\\Flagged" : f == Flags.Flag.ANSWERED
                            ? "\\Answered" : f == Flags.Flag.DELETED ? "\\Deleted" : f == Flags.Flag.DRAFT ? "\\Draft" : f.toString());
                }
            }
            names.addAll(List.of(flags.getUserFlags()));
            names.sort(null);
            return String.join(" ", names);
        }

        public String text() {
            return new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    private final IMAPStore store;

    public ImapTestClient(String host, int port, String user, String password) throws Exception {
        Properties props = new Properties();
        props.put("mail.imap.peek", "true");
        props.put("mail.imap.fetchsize", Integer.toString(4 << 20)); // a few round trips for a big message, not hundreds
        store = (IMAPStore) Session.getInstance(props).getStore("imap");
        store.connect(host, port, user, password);
    }

    public char separator() throws Exception {
        return store.getDefaultFolder().getSeparator();
    }

    /** Creates a folder given with / as separator (and its parents). */
    public void create(String logicalName) throws Exception {
        String name = logicalName.replace('/', separator());
        Folder folder = store.getFolder(name);
        if (!folder.exists()) {
            folder.create(Folder.HOLDS_MESSAGES | Folder.HOLDS_FOLDERS);
        }
    }

    public void delete(String logicalName) throws Exception {
        store.getFolder(logicalName.replace('/', separator())).delete(true);
    }

    public long uidValidity(String logicalName) throws Exception {
        return ((IMAPFolder) store.getFolder(logicalName.replace('/', separator()))).getUIDValidity();
    }

    public void subscribe(String logicalName) throws Exception {
        store.getFolder(logicalName.replace('/', separator())).setSubscribed(true);
    }

    public boolean isSubscribed(String logicalName) throws Exception {
        return store.getFolder(logicalName.replace('/', separator())).isSubscribed();
    }

    public boolean exists(String logicalName) throws Exception {
        return store.getFolder(logicalName.replace('/', separator())).exists();
    }

    /** APPENDs these exact bytes with these flags (system flags and keywords) and internal date. */
    public void append(String logicalName, byte[] raw, Flags flags, Date internalDate) throws Exception {
        create(logicalName);
        String name = logicalName.replace('/', separator());
        IMAPFolder folder = (IMAPFolder) store.getFolder(name);
        folder.doCommand(p -> {
            p.append(name, flags, internalDate, new Literal() {
                @Override
                public int size() {
                    return raw.length;
                }

                @Override
                public void writeTo(OutputStream os) throws java.io.IOException {
                    os.write(raw);
                }
            });
            return null;
        });
    }

    /** Replaces the flags and keywords of one message (UID STORE ... FLAGS). */
    public void setFlags(String logicalName, long uid, Flags flags) throws Exception {
        IMAPFolder folder = (IMAPFolder) store.getFolder(logicalName.replace('/', separator()));
        folder.open(Folder.READ_WRITE);
        try {
            Message message = folder.getMessageByUID(uid);
            Flags old = new Flags(message.getFlags());
            old.remove(Flags.Flag.RECENT); // the server's own
            message.setFlags(old, false);
            message.setFlags(flags, true);
        } finally {
            folder.close(false);
        }
    }

    /** Expunges these messages (and only them) from a folder. */
    public void expunge(String logicalName, long... uids) throws Exception {
        IMAPFolder folder = (IMAPFolder) store.getFolder(logicalName.replace('/', separator()));
        folder.open(Folder.READ_WRITE);
        try {
            Message[] messages = folder.getMessagesByUID(uids);
            for (Message m : messages) {
                m.setFlag(Flags.Flag.DELETED, true);
            }
            folder.expunge(messages);
        } finally {
            folder.close(false);
        }
    }

    /** Every selectable folder (with / as separator) and its messages in UID order. */
    public Map<String, List<Stored>> snapshot() throws Exception {
        Map<String, List<Stored>> all = new TreeMap<>();
        char separator = separator();
        for (Folder f : store.getDefaultFolder().list("*")) {
            String name = f.getFullName().replace(separator, '/');
            all.put(name, (f.getType() & Folder.HOLDS_MESSAGES) == 0 ? List.of() : messages(f));
        }
        return all;
    }

    public List<Stored> messages(String logicalName) throws Exception {
        return messages(store.getFolder(logicalName.replace('/', separator())));
    }

    private static List<Stored> messages(Folder f) throws Exception {
        IMAPFolder folder = (IMAPFolder) f;
        folder.open(Folder.READ_ONLY);
        try {
            Message[] messages = folder.getMessages();
            FetchProfile profile = new FetchProfile();
            profile.add(UIDFolder.FetchProfileItem.UID);
            profile.add(FetchProfile.Item.FLAGS);
            profile.add(FetchProfile.Item.ENVELOPE);
            folder.fetch(messages, profile);
            List<Stored> stored = new ArrayList<>();
            for (Message m : messages) {
                IMAPMessage message = (IMAPMessage) m;
                message.setPeek(true);
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                message.writeTo(bytes);
                stored.add(new Stored(folder.getUID(m), bytes.toByteArray(), message.getFlags(), message.getReceivedDate()));
            }
            return stored;
        } finally {
            folder.close(false);
        }
    }

    @Override
    public void close() throws Exception {
        store.close();
    }
}
