console.log('models: todo')
