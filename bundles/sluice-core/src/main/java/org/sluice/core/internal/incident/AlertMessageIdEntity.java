package org.sluice.core.internal.incident;

import java.io.Serializable;
import java.util.Objects;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.IdClass;
import javax.persistence.Table;

@Entity
@Table(name = "alert_message_id")
@IdClass(AlertMessageIdEntity.Key.class)
public class AlertMessageIdEntity {

    @Id
    @Column(name = "alert_id")
    long alertId;

    @Id
    @Column(name = "message_id")
    String messageId;

    static AlertMessageIdEntity of(long alertId, String messageId) {
        AlertMessageIdEntity entity = new AlertMessageIdEntity();
        entity.alertId = alertId;
        entity.messageId = messageId;
        return entity;
    }

    /** The composite primary key. */
    public static class Key implements Serializable {
        private static final long serialVersionUID = 1L;

        long alertId;
        String messageId;

        @Override
        public boolean equals(Object other) {
            return other instanceof Key that && alertId == that.alertId && Objects.equals(messageId, that.messageId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(alertId, messageId);
        }
    }
}
