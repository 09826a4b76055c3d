package id.go.pdn.hub.core.queue;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.util.ArrayList;
import java.util.List;
import id.go.pdn.hub.core.HubProperties;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.stereotype.Component;

/** The dead-letter queue on Artemis: what is in it, and sending it back to the work queue. */
@Component
public class DeadLetters {

    private final JmsTemplate jms;
    private final ConnectionFactory connectionFactory;
    private final HubProperties.Queue queue;

    public DeadLetters(JmsTemplate jms, ConnectionFactory connectionFactory, HubProperties properties) {
        this.jms = jms;
        this.connectionFactory = connectionFactory;
        this.queue = properties.getQueue();
    }

    public record DeadLetter(String messageId, String migration, String itemKey, String error, String body) {
    }

    /** Lists the dead letters, optionally of one migration. */
    public List<DeadLetter> list(String migration) {
        return jms.browseSelected(queue.getDeadLetterQueue(), selector(migration), (session, browser) -> {
            List<DeadLetter> letters = new ArrayList<>();
            var messages = browser.getEnumeration();
            while (messages.hasMoreElements()) {
                letters.add(toDeadLetter((Message) messages.nextElement()));
            }
            return letters;
        });
    }

    /**
     * The dead letters of tracked routes (all, or one route's): those with {@code HubKind=tracked}, and any letter of a
     * migration named in {@code trackedRoutes} (the ledger's tracked routes, for letters written before the header).
     */
    public List<DeadLetter> listTracked(String migration, java.util.Collection<String> trackedRoutes) {
        return jms.browseSelected(queue.getDeadLetterQueue(), and(selector(migration), trackedSelector(trackedRoutes)), (session, browser) -> {
            List<DeadLetter> letters = new ArrayList<>();
            var messages = browser.getEnumeration();
            while (messages.hasMoreElements()) {
                letters.add(toDeadLetter((Message) messages.nextElement()));
            }
            return letters;
        });
    }

    /** What a replay did: letters sent back to the work queue, and the tracked routes' letters it left where they were. */
    public record Replayed(int replayed, List<DeadLetter> trackedSkipped) {
        /** One line for the CLI, the MBean and the audit trail. */
        public String text() {
            return replayed + " dead letters sent back to the work queue" + (trackedSkipped.isEmpty() ? "" : "; "
                    + trackedSkipped.size() + " of tracked routes skipped (" + String.join(", ", trackedSkipped.stream()
                    .map(DeadLetter::migration).distinct().sorted().toList()) + "): a tracked route has no work-queue item and its "
                    + "next poll takes its DEAD items again, so its letters stay on the dead-letter queue as the record of what failed");
        }
    }

    /** Replays the letters of migrations and leaves those of tracked routes (the ledger's, {@code trackedRoutes}). */
    public Replayed replayExceptTracked(String migration, java.util.Collection<String> trackedRoutes) {
        List<DeadLetter> tracked = listTracked(migration, trackedRoutes);
        return new Replayed(replay(migration, trackedRoutes), tracked);
    }

    /** {@link #replay(String, java.util.Collection)} without names of tracked routes (the header still keeps theirs out). */
    public int replay(String migration) {
        return replay(migration, List.of());
    }

    /**
     * Moves dead letters (all, or one migration's) back to the work queue; returns how many. Each move is one
     * broker transaction: a letter is in one queue or the other, never in none. A tracked route's letters stay where
     * they are ({@link #listTracked}): the route has no work-queue worker, and takes its DEAD items again on its own
     * next poll.
     */
    public int replay(String migration, java.util.Collection<String> trackedRoutes) {
        try (Connection connection = connectionFactory.createConnection();
             Session session = connection.createSession(true, Session.SESSION_TRANSACTED)) {
            connection.start();
            MessageConsumer consumer = session.createConsumer(session.createQueue(queue.getDeadLetterQueue()),
                    and(selector(migration), "NOT (" + trackedSelector(trackedRoutes) + ")"));
            MessageProducer producer = session.createProducer(session.createQueue(queue.getWorkQueue()));
            int replayed = 0;
            Message message;
            while ((message = consumer.receive(500)) != null) {
                DeadLetter letter = toDeadLetter(message);
                TextMessage work = session.createTextMessage(letter.body());
                work.setStringProperty(WorkItemMessage.HEADER_MIGRATION, letter.migration());
                work.setStringProperty(WorkItemMessage.HEADER_ITEM_KEY, letter.itemKey());
                producer.send(work);
                session.commit();
                replayed++;
            }
            return replayed;
        } catch (JMSException e) {
            throw new IllegalStateException("Cannot replay the dead-letter queue " + queue.getDeadLetterQueue() + ": " + e.getMessage(), e);
        }
    }

    /** A letter of a tracked route; true or false for every letter (a missing header is tested with IS NOT NULL). */
    private static String trackedSelector(java.util.Collection<String> trackedRoutes) {
        String selector = "(" + WorkItemMessage.HEADER_KIND + " IS NOT NULL AND " + WorkItemMessage.HEADER_KIND + " = 'tracked')";
        if (!trackedRoutes.isEmpty()) {
            selector += " OR (" + WorkItemMessage.HEADER_MIGRATION + " IS NOT NULL AND " + WorkItemMessage.HEADER_MIGRATION + " IN ("
                    + String.join(", ", trackedRoutes.stream().map(r -> "'" + r.replace("'", "''") + "'").toList()) + "))";
        }
        return "(" + selector + ")";
    }

    private static String and(String first, String second) {
        return first == null ? second : "(" + first + ") AND " + second;
    }

    private static String selector(String migration) {
        return migration == null ? null : WorkItemMessage.HEADER_MIGRATION + " = '" + migration.replace("'", "''") + "'";
    }

    private static DeadLetter toDeadLetter(Message m) {
        try {
            return new DeadLetter(m.getJMSMessageID(), m.getStringProperty(WorkItemMessage.HEADER_MIGRATION),
                    m.getStringProperty(WorkItemMessage.HEADER_ITEM_KEY), m.getStringProperty(WorkItemMessage.HEADER_ERROR),
                    m instanceof TextMessage text ? text.getText() : null);
        } catch (JMSException e) {
            throw new IllegalStateException("Cannot read a dead letter: " + e.getMessage(), e);
        }
    }
}
