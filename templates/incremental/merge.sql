{#- One model's step of an incremental run (`materialization: incremental`). A staging model
    builds its batch apart first, because the batch reads what the rows it replaces were; the
    other models delete what the batch changed and insert it again. -#}
{% import dialect_template as d %}
{% if scratch %}
{{ d.create_table(scratch, select) }}
delete from {{ this }} where nexus_row_key in (select nexus_row_key from {{ scratch }});
insert into {{ this }} select * from {{ scratch }};
drop table {{ scratch }};
{% else %}
{{ delete | trim }};
insert into {{ this }}
{{ select }};
{% endif %}
