"""lägesbild, snapshots, medborgarlöfte, open311 keys

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 17:14:42.424297
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('promises',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.JSON(), nullable=False),
    sa.Column('intro', sa.JSON(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('is_published', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_promises'))
    )
    op.create_table('situation_rollup_months',
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('built_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('month', name=op.f('pk_situation_rollup_months'))
    )
    op.create_table('situation_sun_days',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('dawn_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('dusk_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_situation_sun_days'))
    )
    op.create_table('promise_focus_areas',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('promise_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.JSON(), nullable=False),
    sa.Column('description', sa.JSON(), nullable=False),
    sa.Column('category_codes', sa.JSON(), nullable=False),
    sa.Column('area_codes', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['promise_id'], ['promises.id'], name=op.f('fk_promise_focus_areas_promise_id_promises'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_promise_focus_areas'))
    )
    with op.batch_alter_table('promise_focus_areas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_promise_focus_areas_promise_id'), ['promise_id'], unique=False)

    op.create_table('situation_month_counts',
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('dimension', sa.String(length=10), nullable=False),
    sa.Column('key_a', sa.String(length=40), nullable=False),
    sa.Column('key_b', sa.String(length=40), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.Column('dark', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['month'], ['situation_rollup_months.month'], name=op.f('fk_situation_month_counts_month_situation_rollup_months'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('month', 'dimension', 'key_a', 'key_b', name=op.f('pk_situation_month_counts'))
    )
    op.create_table('open311_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=100), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('prefix', sa.String(length=12), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_open311_keys_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_open311_keys_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_open311_keys')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_open311_keys_key_hash'))
    )
    with op.batch_alter_table('open311_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_open311_keys_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('promise_activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('focus_area_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.JSON(), nullable=False),
    sa.Column('owner', sa.String(length=150), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['focus_area_id'], ['promise_focus_areas.id'], name=op.f('fk_promise_activities_focus_area_id_promise_focus_areas'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_promise_activities'))
    )
    with op.batch_alter_table('promise_activities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_promise_activities_focus_area_id'), ['focus_area_id'], unique=False)

    op.create_table('promise_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('focus_area_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.JSON(), nullable=False),
    sa.Column('noted_on', sa.Date(), nullable=False),
    sa.Column('is_public', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_promise_notes_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['focus_area_id'], ['promise_focus_areas.id'], name=op.f('fk_promise_notes_focus_area_id_promise_focus_areas'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_promise_notes'))
    )
    with op.batch_alter_table('promise_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_promise_notes_focus_area_id'), ['focus_area_id'], unique=False)

    op.create_table('situation_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=150), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('consequences', sa.Text(), nullable=False),
    sa.Column('other_information', sa.Text(), nullable=False),
    sa.Column('causes', sa.Text(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('adopted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_situation_documents_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_situation_documents'))
    )
    op.create_table('situation_partner_shares',
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_situation_partner_shares_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_situation_partner_shares_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('organisation_id', name=op.f('pk_situation_partner_shares'))
    )
    op.create_table('situation_snapshots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_on', sa.Date(), nullable=False),
    sa.Column('title', sa.String(length=150), nullable=False),
    sa.Column('period_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('period_end', sa.DateTime(timezone=True), nullable=False),
    sa.Column('filters', sa.JSON(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_situation_snapshots_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_situation_snapshots'))
    )
    with op.batch_alter_table('situation_snapshots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_situation_snapshots_meeting_on'), ['meeting_on'], unique=False)

    op.create_table('action_follow_ups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['actions.id'], name=op.f('fk_action_follow_ups_action_id_actions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_action_follow_ups_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_follow_ups'))
    )
    with op.batch_alter_table('action_follow_ups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_follow_ups_action_id'), ['action_id'], unique=False)

    op.create_table('situation_plan_actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['actions.id'], name=op.f('fk_situation_plan_actions_action_id_actions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['document_id'], ['situation_documents.id'], name=op.f('fk_situation_plan_actions_document_id_situation_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_situation_plan_actions')),
    sa.UniqueConstraint('action_id', name=op.f('uq_situation_plan_actions_action_id'))
    )
    with op.batch_alter_table('situation_plan_actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_situation_plan_actions_document_id'), ['document_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('situation_plan_actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_situation_plan_actions_document_id'))

    op.drop_table('situation_plan_actions')
    with op.batch_alter_table('action_follow_ups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_follow_ups_action_id'))

    op.drop_table('action_follow_ups')
    with op.batch_alter_table('situation_snapshots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_situation_snapshots_meeting_on'))

    op.drop_table('situation_snapshots')
    op.drop_table('situation_partner_shares')
    op.drop_table('situation_documents')
    with op.batch_alter_table('promise_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_promise_notes_focus_area_id'))

    op.drop_table('promise_notes')
    with op.batch_alter_table('promise_activities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_promise_activities_focus_area_id'))

    op.drop_table('promise_activities')
    with op.batch_alter_table('open311_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_open311_keys_organisation_id'))

    op.drop_table('open311_keys')
    op.drop_table('situation_month_counts')
    with op.batch_alter_table('promise_focus_areas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_promise_focus_areas_promise_id'))

    op.drop_table('promise_focus_areas')
    op.drop_table('situation_sun_days')
    op.drop_table('situation_rollup_months')
    op.drop_table('promises')
