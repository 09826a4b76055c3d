package id.go.pdn.hub.mail;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import java.util.Date;
import java.util.List;
import id.go.pdn.hub.core.HubException;
import id.go.pdn.hub.core.tracked.TrackedRoutes;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * {@code process: {ref: hubImapAppend}}: the IMAP APPEND that camel-mail lacks, for a tracked route that reads a
 * mailbox ({@code from: pop3s:} with {@code mapMailMessage=false}, so the body is the polled {@code jakarta.mail.Message}).
 * The message's bytes are appended exactly as the source sends them ({@link MailAppender}, the same APPEND as a
 * {@code migration:mail}), big ones streamed through a spool file, with an internal date taken as a POP3 migration
 * takes it ({@link Pop3Source#internalDate}: the first {@code Received:}, else {@code Date:}, else now) or the source's
 * own internal date where it has one (IMAP). The new messages of the target folder are then read back: when one has the
 * SHA-256 of the bytes sent the exchange gets {@code hubVerified=true} (the ledger item is VERIFIED), else it stays
 * COPIED.
 * <p>
 * Configured by headers, which it removes: {@value #TARGET} (the server, as a mail migration writes it:
 * {@code imaps://host:993}, {@code imap://host:143?starttls=true}), {@value #USER}, {@value #PASSWORD} (a reference read
 * by the hub's secrets reader: {@code env:VAR}, {@code ${VAR}} or {@code file:/path}, never the password itself) and
 * optionally {@value #FOLDER} (default INBOX; it must exist). Sets {@code CamelFileLength} (the bytes, for the ledger)
 * and {@value #TARGET_UID} when the read-back found the copy.
 */
@Component("hubImapAppend")
public class ImapAppendProcessor implements Processor {

    public static final String TARGET = "hubImapTarget";
    public static final String USER = "hubImapUser";
    public static final String PASSWORD = "hubImapPassword";
    public static final String FOLDER = "hubImapFolder";
    public static final String TARGET_UID = "hubImapTargetUid";

    private static final Logger LOG = LoggerFactory.getLogger(ImapAppendProcessor.class);

    @Override
    public void process(Exchange exchange) throws Exception {
        org.apache.camel.Message in = exchange.getMessage();
        String route = exchange.getFromRouteId();
        MailServer server = MailServer.parse(TARGET, required(in, TARGET, route));
        String user = required(in, USER, route);
        MailAccounts.Secret password;
        try {
            password = MailAccounts.Secret.parse(required(in, PASSWORD, route));
        } catch (IllegalArgumentException e) {
            throw new HubException(HubException.ErrorCode.CONFIGURATION, "hubImapAppend in route " + route + ": header " + PASSWORD
                    + " " + e.getMessage().replace("a password column holds", "holds"), e);
        }
        String folderName = in.getHeader(FOLDER, "INBOX", String.class);
        in.removeHeaders("hubImap*");
        Message message = source(exchange);
        Date sourceDate = message.getReceivedDate(); // IMAP's internal date; null for POP3
        Pop3Source.Pop3Mailbox.retrieve(message, true, new Date(), message.getMessageNumber(), body -> {
            MailFetcher.Body sent = sourceDate == null ? body : new MailFetcher.Body(new MailFetcher.Meta(body.meta().uid(),
                    body.meta().flags(), sourceDate, body.meta().size(), body.meta().messageId()), body.bytes(), body.file(), body.size(),
                    body.sha256());
            Long targetUid = append(server, user, password, folderName, sent, route);
            in.setHeader(Exchange.FILE_LENGTH, sent.size());
            if (targetUid != null) {
                in.setHeader(TARGET_UID, targetUid);
                in.setHeader(TrackedRoutes.VERIFIED, "true");
            }
        });
    }

    /** Appends and reads back the folder's new messages: the target UID of the copy with the same SHA-256, or null. */
    private static Long append(MailServer server, String user, MailAccounts.Secret password, String folderName, MailFetcher.Body body,
            String route) throws Exception {
        IMAPStore store = server.connect(user, password.value());
        try {
            IMAPFolder folder = (IMAPFolder) store.getFolder(folderName);
            if (!folder.exists()) {
                throw new HubException(HubException.ErrorCode.CONFIGURATION, "hubImapAppend in route " + route + ": folder "
                        + folderName + " does not exist on " + server + " for " + user + "; create it or set header " + FOLDER);
            }
            folder.open(Folder.READ_ONLY);
            try {
                long uidNext = Math.max(1, folder.getUIDNext());
                String[] refused = {null};
                MailAppender appender = new MailAppender(folder, (b, answer) -> refused[0] = answer);
                appender.add(body);
                appender.flush();
                if (refused[0] != null) {
                    throw new MessagingException(server + " refused to append message " + describe(body) + " to " + folderName
                            + " of " + user + ": " + refused[0]);
                }
                folder.doCommand(p -> {
                    p.noop(); // learn what was appended through this connection
                    return null;
                });
                List<MailFetcher.Meta> fresh = MailFetcher.metas(folder, uidNext + ":*", uidNext, Long.MAX_VALUE);
                Long[] match = {null};
                MailFetcher.read(folder, fresh, false, back -> {
                    if (match[0] == null && back.sha256().equals(body.sha256())) {
                        match[0] = back.meta().uid();
                    }
                });
                if (match[0] == null) {
                    LOG.warn("Route {}: message {} was appended to {} {} of {} but no new message there has its SHA-256 {}: COPIED, "
                            + "not verified", route, describe(body), server, folderName, user, body.sha256());
                }
                return match[0];
            } finally {
                folder.close(false);
            }
        } finally {
            store.close();
        }
    }

    private static String describe(MailFetcher.Body body) {
        String id = body.meta().messageId();
        return (id == null || id.isEmpty() ? "without Message-ID" : id) + " (" + body.size() + " bytes)";
    }

    /** The polled message: camel-mail with mapMailMessage=false keeps it as the body (and in its MailMessage). */
    static Message source(Exchange exchange) {
        if (exchange.getMessage() instanceof org.apache.camel.component.mail.MailMessage mail && mail.getOriginalMessage() != null) {
            return mail.getOriginalMessage();
        }
        Object body = exchange.getMessage().getBody();
        if (body instanceof Message message) {
            return message;
        }
        throw new HubException(HubException.ErrorCode.CONFIGURATION, "hubImapAppend in route " + exchange.getFromRouteId()
                + " needs the polled mail as the body (a jakarta.mail.Message: from: pop3s:/imaps: with mapMailMessage=false), not "
                + (body == null ? "null" : body.getClass().getName()));
    }

    private static String required(org.apache.camel.Message in, String header, String route) {
        String value = in.getHeader(header, String.class);
        if (value == null || value.isBlank()) {
            throw new HubException(HubException.ErrorCode.CONFIGURATION, "hubImapAppend in route " + route + " needs the header "
                    + header + " (" + TARGET + ": imaps://host:993, " + USER + ", " + PASSWORD + ": env:VAR or file:/path)");
        }
        return value.strip();
    }
}
