"""grannsamverkan register and nattvandring

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 16:26:08.151656
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('neighbourhood_contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('street', sa.String(length=120), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('lat', sa.Double(), nullable=True),
    sa.Column('lon', sa.Double(), nullable=True),
    sa.Column('households', sa.Integer(), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('sign_status', sa.String(length=10), nullable=False),
    sa.Column('sign_status_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('consent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('consent_version', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decision_note', sa.String(length=500), nullable=True),
    sa.Column('last_confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('households BETWEEN 1 AND 2000', name=op.f('ck_neighbourhood_contacts_households_range')),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_neighbourhood_contacts_area_id_areas')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_neighbourhood_contacts_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_neighbourhood_contacts_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_neighbourhood_contacts'))
    )
    with op.batch_alter_table('neighbourhood_contacts', schema=None) as batch_op:
        batch_op.create_index('ix_neighbourhood_contacts_state_area_id', ['state', 'area_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_neighbourhood_contacts_user_id'), ['user_id'], unique=False)

    op.create_table('neighbourhood_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=150), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_by_id', sa.Integer(), nullable=True),
    sa.Column('recipient_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['sent_by_id'], ['users.id'], name=op.f('fk_neighbourhood_messages_sent_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_neighbourhood_messages'))
    )
    op.create_table('nightwalks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('walkers', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_by_id', sa.Integer(), nullable=True),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_by_id', sa.Integer(), nullable=True),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('young_people_met', sa.Integer(), nullable=False),
    sa.Column('conversations', sa.Integer(), nullable=False),
    sa.Column('situations_calmed', sa.Integer(), nullable=False),
    sa.Column('helped_home', sa.Integer(), nullable=False),
    sa.Column('substances_seen', sa.Integer(), nullable=False),
    sa.Column('litter_damage_seen', sa.Integer(), nullable=False),
    sa.Column('emergency_calls', sa.Integer(), nullable=False),
    sa.CheckConstraint('walkers BETWEEN 1 AND 50', name=op.f('ck_nightwalks_walkers_range')),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_nightwalks_area_id_areas')),
    sa.ForeignKeyConstraint(['ended_by_id'], ['users.id'], name=op.f('fk_nightwalks_ended_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['group_id'], ['organisations.id'], name=op.f('fk_nightwalks_group_id_organisations')),
    sa.ForeignKeyConstraint(['started_by_id'], ['users.id'], name=op.f('fk_nightwalks_started_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_nightwalks'))
    )
    with op.batch_alter_table('nightwalks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_nightwalks_group_id'), ['group_id'], unique=False)
        batch_op.create_index('ix_nightwalks_started_at_area_id', ['started_at', 'area_id'], unique=False)

    op.create_table('neighbourhood_message_areas',
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_neighbourhood_message_areas_area_id_areas')),
    sa.ForeignKeyConstraint(['message_id'], ['neighbourhood_messages.id'], name=op.f('fk_neighbourhood_message_areas_message_id_neighbourhood_messages'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('message_id', 'area_id', name=op.f('pk_neighbourhood_message_areas'))
    )
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('nightwalk_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_reports_nightwalk_id'), ['nightwalk_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_reports_nightwalk_id_nightwalks'), 'nightwalks', ['nightwalk_id'], ['id'], ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_reports_nightwalk_id_nightwalks'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_reports_nightwalk_id'))
        batch_op.drop_column('nightwalk_id')

    op.drop_table('neighbourhood_message_areas')
    with op.batch_alter_table('nightwalks', schema=None) as batch_op:
        batch_op.drop_index('ix_nightwalks_started_at_area_id')
        batch_op.drop_index(batch_op.f('ix_nightwalks_group_id'))

    op.drop_table('nightwalks')
    op.drop_table('neighbourhood_messages')
    with op.batch_alter_table('neighbourhood_contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_neighbourhood_contacts_user_id'))
        batch_op.drop_index('ix_neighbourhood_contacts_state_area_id')

    op.drop_table('neighbourhood_contacts')
