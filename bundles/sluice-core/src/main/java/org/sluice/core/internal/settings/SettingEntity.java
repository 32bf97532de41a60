package org.sluice.core.internal.settings;

import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

@Entity
@Table(name = "setting")
public class SettingEntity {

    @Id
    @Column(name = "name")
    String name;

    /** The value as JSON. */
    @Column(name = "setting_value")
    String value;

    @Column(name = "updated_at", nullable = false)
    Instant updatedAt;

    @Column(name = "updated_by", nullable = false)
    String updatedBy;

    @Override
    public boolean equals(Object other) {
        return other instanceof SettingEntity that && name != null && name.equals(that.name);
    }

    @Override
    public int hashCode() {
        return SettingEntity.class.hashCode();
    }
}
