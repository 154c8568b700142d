//! CI workflows and containers: GitHub Actions, GitLab CI, Dockerfiles and docker-compose
//! files, reduced to the environment they set and the AWS credential steps they run. One
//! file per format; what they share is in `common.rs`.

mod common;
mod compose;
mod dockerfile;
mod github;
mod gitlab;

pub use common::{AwsStep, CiFile, EnvBlock, ImageVar};
pub use compose::compose;
pub use dockerfile::dockerfile;
pub use github::github_workflow;
pub use gitlab::gitlab_ci;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::env::ValueOrigin;

    #[test]
    fn workflow_steps_and_env() {
        let w = "permissions:\n  contents: read\njobs:\n  deploy:\n    env:\n      AWS_REGION: eu-west-1\n    steps:\n      - uses: aws-actions/configure-aws-credentials@v4\n        with:\n          aws-access-key-id: ${{ secrets.KEY }}\n          aws-secret-access-key: ${{ secrets.SECRET }}\n";
        let f = github_workflow(w);
        assert_eq!(f.aws_steps.len(), 1);
        assert!(f.aws_steps[0].static_key.is_some() && !f.aws_steps[0].id_token_write);
        assert_eq!(f.env_blocks[0].vars[0].key, "AWS_REGION");
    }

    #[test]
    fn dockerfile_env_and_arg() {
        let d = "FROM python:3\nARG AWS_SECRET_ACCESS_KEY\nENV AWS_ACCESS_KEY_ID=AKIAX REGION=x\nENV OLD value with spaces\n";
        let f = dockerfile(d);
        let keys: Vec<&str> = f.image_vars.iter().map(|v| v.var.key.as_str()).collect();
        assert_eq!(
            keys,
            vec![
                "AWS_SECRET_ACCESS_KEY",
                "AWS_ACCESS_KEY_ID",
                "REGION",
                "OLD"
            ]
        );
        let v = &f.image_vars[1].var;
        assert_eq!(&d[v.key_span.start..v.key_span.end], "AWS_ACCESS_KEY_ID");
        assert_eq!(&d[v.value_span.start..v.value_span.end], "AKIAX");
    }

    #[test]
    fn compose_environment_forms() {
        let c = "services:\n  api:\n    environment:\n      - AWS_PROFILE=dev\n    env_file: .env\n  worker:\n    environment:\n      AWS_ACCESS_KEY_ID: \"AKIAY\"\n";
        let f = compose(c);
        assert_eq!(f.env_blocks.len(), 2);
        let v = &f.env_blocks[0].vars[0];
        assert_eq!(&c[v.value_span.start..v.value_span.end], "dev");
        assert_eq!(f.env_blocks[0].env_files[0].0, ".env");
        let c = "services:\n  app:\n    env_file: [{path: ./a.env, required: false}, b.env]\n    environment:\n      - AWS_PROFILE\n";
        let f = compose(c);
        assert_eq!(
            f.env_blocks[0].vars[0].value.as_deref(),
            Some("${AWS_PROFILE}")
        );
        let files: Vec<&str> = f.env_blocks[0]
            .env_files
            .iter()
            .map(|(p, _)| p.as_str())
            .collect();
        assert_eq!(files, ["./a.env", "b.env"]);
    }

    #[test]
    fn dockerfile_quotes_continuations_and_escape_directive() {
        let d = "FROM x\nENV A=\"two words\" \\\n    # a comment inside\n    AWS_SECRET_ACCESS_KEY='s3cr/t' C=$HOME\nARG X Y=1\n";
        let f = dockerfile(d);
        let got: Vec<(&str, Option<&str>, &str, ValueOrigin)> = f
            .image_vars
            .iter()
            .map(|i| {
                (
                    i.var.key.as_str(),
                    i.var.value.as_deref(),
                    &d[i.var.value_span.start..i.var.value_span.end],
                    i.var.origin,
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("A", Some("two words"), "two words", ValueOrigin::Literal),
                (
                    "AWS_SECRET_ACCESS_KEY",
                    Some("s3cr/t"),
                    "s3cr/t",
                    ValueOrigin::Literal
                ),
                ("C", Some("$HOME"), "$HOME", ValueOrigin::Reference),
                ("X", None, "", ValueOrigin::Literal),
                ("Y", Some("1"), "1", ValueOrigin::Literal),
            ]
        );
        let k = &f.image_vars[1].var.key_span;
        assert_eq!(&d[k.start..k.end], "AWS_SECRET_ACCESS_KEY");
        let d = "# escape=`\nFROM x\nENV A=1 `\n  B=2\n";
        let keys: Vec<String> = dockerfile(d)
            .image_vars
            .into_iter()
            .map(|i| i.var.key)
            .collect();
        assert_eq!(keys, ["A", "B"]);
    }

    #[test]
    fn workflow_job_permissions_replace_the_workflows() {
        let w = "permissions:\n  id-token: write\nenv:\n  AWS_PROFILE: ci\njobs:\n  a:\n    permissions:\n      contents: read\n    env:\n      X: '1'\n    steps:\n      - uses: aws-actions/configure-aws-credentials@v4\n        with:\n          role-to-assume: arn:aws:iam::111122223333:role/r\n        env:\n          AWS_ACCESS_KEY_ID: ${{ secrets.K }}\n  b:\n    steps:\n      - uses: aws-actions/configure-aws-credentials@v4\n        with:\n          role-to-assume: arn:aws:iam::111122223333:role/r\n";
        let f = github_workflow(w);
        assert!(!f.aws_steps[0].id_token_write);
        assert!(f.aws_steps[1].id_token_write);
        assert_eq!(f.aws_steps[0].inputs[0].key, "role-to-assume");
        let step = f.env_blocks.last().expect("step env");
        assert_eq!(step.inherits, vec![0, 1]);
        assert_eq!(step.vars[0].origin, ValueOrigin::Reference);
    }
}
