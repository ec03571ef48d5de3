"""barrier reports, audit events without a report

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 18:43:41.385188
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('barrier_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('page', sa.String(length=300), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('locale', sa.String(length=5), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_barrier_reports'))
    )
    with op.batch_alter_table('barrier_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_barrier_reports_created_at'), ['created_at'], unique=False)

    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.alter_column('report_id',
               existing_type=sa.INTEGER(),
               nullable=True)


def downgrade() -> None:
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.alter_column('report_id',
               existing_type=sa.INTEGER(),
               nullable=False)

    with op.batch_alter_table('barrier_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_barrier_reports_created_at'))

    op.drop_table('barrier_reports')
