"""moderation: cases, notes, photo redactions, audit log

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 16:22:23.973767
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_events_actor_id_users')),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_audit_events_report_id_reports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_report_id'), ['report_id'], unique=False)

    op.create_table('report_cases',
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('unit', sa.String(length=100), nullable=True),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('duplicate_of_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.String(length=200), nullable=True),
    sa.Column('close_reason', sa.Text(), nullable=True),
    sa.Column('public_precision', sa.String(length=10), nullable=False),
    sa.Column('locked_by_id', sa.Integer(), nullable=True),
    sa.Column('locked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['assignee_id'], ['users.id'], name=op.f('fk_report_cases_assignee_id_users')),
    sa.ForeignKeyConstraint(['duplicate_of_id'], ['reports.id'], name=op.f('fk_report_cases_duplicate_of_id_reports')),
    sa.ForeignKeyConstraint(['locked_by_id'], ['users.id'], name=op.f('fk_report_cases_locked_by_id_users')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_report_cases_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_report_cases_report_id_reports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('report_id', name=op.f('pk_report_cases'))
    )
    with op.batch_alter_table('report_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_cases_assignee_id'), ['assignee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_cases_due_at'), ['due_at'], unique=False)

    op.create_table('report_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_report_notes_author_id_users')),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_report_notes_report_id_reports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_notes'))
    )
    with op.batch_alter_table('report_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_notes_report_id'), ['report_id'], unique=False)

    op.create_table('photo_redactions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('photo_id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('thumb_sha256', sa.String(length=64), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_photo_redactions_actor_id_users')),
    sa.ForeignKeyConstraint(['photo_id'], ['photos.id'], name=op.f('fk_photo_redactions_photo_id_photos'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_photo_redactions'))
    )
    with op.batch_alter_table('photo_redactions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_photo_redactions_photo_id'), ['photo_id'], unique=False)

    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.create_index('ix_reports_state_created_at', ['state', 'created_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_index('ix_reports_state_created_at')

    with op.batch_alter_table('photo_redactions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_photo_redactions_photo_id'))

    op.drop_table('photo_redactions')
    with op.batch_alter_table('report_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_notes_report_id'))

    op.drop_table('report_notes')
    with op.batch_alter_table('report_cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_cases_due_at'))
        batch_op.drop_index(batch_op.f('ix_report_cases_assignee_id'))

    op.drop_table('report_cases')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_report_id'))

    op.drop_table('audit_events')
