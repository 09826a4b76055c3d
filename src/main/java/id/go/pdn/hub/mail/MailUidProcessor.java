package id.go.pdn.hub.mail;

import jakarta.mail.Message;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.pop3.POP3Folder;
import org.springframework.stereotype.Component;

/**
 * {@code process: {ref: hubMailUid}}: the polled message's identity on its server in the header {@value #HEADER}, for
 * a tracked route's {@code idempotentConsumer} key: the POP3 UIDL, or an IMAP message's {@code UIDVALIDITY/UID}.
 * camel-mail's own {@code CamelMailMessageId} is the Message-ID when there is one, so a message saved twice (or two
 * messages without one that hash alike) would be one item and one of them never copied.
 */
@Component("hubMailUid")
public class MailUidProcessor implements Processor {

    public static final String HEADER = "hubMailUid";

    @Override
    public void process(Exchange exchange) throws Exception {
        Message message = ImapAppendProcessor.source(exchange);
        String uid;
        if (message.getFolder() instanceof POP3Folder pop3) {
            uid = pop3.getUID(message);
        } else if (message.getFolder() instanceof IMAPFolder imap) {
            uid = imap.getUIDValidity() + "/" + imap.getUID(message);
        } else {
            uid = null;
        }
        if (uid == null || uid.isBlank()) {
            throw new id.go.pdn.hub.core.HubException(id.go.pdn.hub.core.HubException.ErrorCode.CONFIGURATION, "hubMailUid in route "
                    + exchange.getFromRouteId() + ": the server gave message " + message.getMessageNumber() + " no UIDL/UID");
        }
        exchange.getMessage().setHeader(HEADER, uid);
    }
}
